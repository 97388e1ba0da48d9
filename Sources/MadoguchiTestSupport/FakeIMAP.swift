// FakeIMAP: a scripted in-process IMAP server (RFC 3501) for FakeServer: greeting,
// capabilities, login reply, listing, bodies, SEARCH answers and ENABLE UTF8=ACCEPT
// (RFC 6855), set per test, for hostile or unusual servers a real one will not play.

/// A scripted IMAP server.
public struct FakeIMAP: Sendable {
    /// The greeting line.
    public var greeting: String
    /// The CAPABILITY words.
    public var capability: String
    /// The status after LOGIN or AUTHENTICATE (`OK …`, `NO …`).
    public var loginReply: String
    /// The UIDVALIDITY SELECT reports.
    public var uidValidity: String
    /// The untagged answer to `UID FETCH 1:* (UID RFC822.SIZE)`.
    public var listReply: String
    /// Sends the untagged part of the answer to `UID FETCH <uid> (… BODY.PEEK[])`.
    public var body: @Sendable (_ uid: String, _ peer: FakeServer.Peer) throws -> Void
    /// When set, used instead of `body` until the client sent `ENABLE UTF8=ACCEPT`
    /// (what Courier does with a message whose header fields are raw UTF-8).
    public var bodyWithoutUTF8: (@Sendable (_ uid: String, _ peer: FakeServer.Peer) throws -> Void)?
    /// The untagged answer to `UID SEARCH <criteria>` (default: none found).
    public var search: @Sendable (_ criteria: String) -> String

    /// A server script; each part defaults to a well-behaved server's.
    public init(
        greeting: String = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready\r\n",
        capability: String = "IMAP4rev1 AUTH=PLAIN UIDPLUS", loginReply: String = "OK logged in",
        uidValidity: String = "1",
        listReply: String = "* 1 FETCH (UID 4 RFC822.SIZE 5)\r\n* 2 FETCH (UID 7 RFC822.SIZE 12)\r\n",
        body: @escaping @Sendable (_ uid: String, _ peer: FakeServer.Peer) throws -> Void = { uid, peer in
            try peer.send(FakeIMAP.bodyResponse(uid: uid, "hello"))
        },
        bodyWithoutUTF8: (@Sendable (_ uid: String, _ peer: FakeServer.Peer) throws -> Void)? = nil,
        search: @escaping @Sendable (_ criteria: String) -> String = { _ in "* SEARCH\r\n" }
    ) {
        self.greeting = greeting
        self.capability = capability
        self.loginReply = loginReply
        self.uidValidity = uidValidity
        self.listReply = listReply
        self.body = body
        self.bodyWithoutUTF8 = bodyWithoutUTF8
        self.search = search
    }

    /// `* 1 FETCH (UID n RFC822.SIZE s BODY[] {s}` CRLF content `)` CRLF.
    public static func bodyResponse(uid: String, _ content: String, literal: String? = nil) -> String {
        let size = content.utf8.count
        return "* 1 FETCH (UID \(uid) RFC822.SIZE \(size) BODY[] \(literal ?? "{\(size)}")\r\n\(content))\r\n"
    }

    /// Serves one connection until LOGOUT or end of input.
    /// - Throws: `TestToolError`, `NetworkError` when the client has gone.
    public func run(_ peer: FakeServer.Peer) throws {
        try peer.send(greeting)
        var utf8 = false
        while let (tag, command) = try peer.readCommand() {
            let upper = command.uppercased()
            if upper == "CAPABILITY" {
                try peer.send("* CAPABILITY \(capability)\r\n\(tag) OK done\r\n")
            } else if upper.hasPrefix("AUTHENTICATE PLAIN") {
                try peer.send("+ \r\n")
                _ = try peer.readLine()
                try peer.send("\(tag) \(loginReply)\r\n")
            } else if upper.hasPrefix("LOGIN ") {
                try peer.send("\(tag) \(loginReply)\r\n")
            } else if upper == "ENABLE UTF8=ACCEPT" && capability.uppercased().contains("UTF8=ACCEPT") {
                utf8 = true
                try peer.send("* ENABLED UTF8=ACCEPT\r\n\(tag) OK enabled\r\n")
            } else if upper.hasPrefix("SELECT ") {
                try peer.send("* 2 EXISTS\r\n* OK [UIDVALIDITY \(uidValidity)] ok\r\n\(tag) OK [READ-WRITE] done\r\n")
            } else if upper.hasPrefix("UID FETCH 1:* ") {
                try peer.send(listReply + "\(tag) OK done\r\n")
            } else if upper.hasPrefix("UID FETCH ") {
                let uid = String(command.split(separator: " ")[2])
                try (utf8 ? body : bodyWithoutUTF8 ?? body)(uid, peer)
                try peer.send("\(tag) OK FETCH completed\r\n")
            } else if upper.hasPrefix("UID SEARCH ") {
                try peer.send(search(String(command.dropFirst("UID SEARCH ".count))) + "\(tag) OK done\r\n")
            } else if upper.hasPrefix("UID STORE ") || upper.hasPrefix("UID EXPUNGE ") || upper == "EXPUNGE" {
                try peer.send("\(tag) OK done\r\n")
            } else if upper == "LOGOUT" {
                try peer.send("* BYE bye\r\n\(tag) OK done\r\n")
                return
            } else {
                try peer.send("\(tag) BAD unknown command\r\n")
            }
        }
    }
}
