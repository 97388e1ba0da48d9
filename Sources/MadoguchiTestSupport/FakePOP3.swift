// FakePOP3: a scripted in-process POP3 server (RFC 1939) for FakeServer: the listing
// and bodies it serves, how it answers PASS, RFC 6856 UTF8 the way Courier does it,
// and an RFC 2449 PIPELINING check, set per test.

/// A scripted POP3 server: the listing and bodies it serves, and how it answers PASS.
public struct FakePOP3: Sendable {
    /// The CAPA reply.
    public var capa: String
    /// The reply to PASS.
    public var passReply: String
    /// The UIDL reply.
    public var uidl: String
    /// The LIST reply.
    public var list: String
    /// The reply to every RETR.
    public var retr: String
    /// When set, the reply to every RETR once the client sent UTF8 (which is accepted
    /// when `capa` offers it); `retr` is then what a client without UTF8 gets (Courier
    /// wraps a message with raw UTF-8 header fields in a larger notice).
    public var retrAfterUTF8: String?
    /// When more than 1: the first RETR and the first DELE are answered `-ERR` unless
    /// this many commands of the batch arrive without waiting for an answer (a client
    /// that does not pipeline fails visibly).
    public var expectPipelined: Int

    /// A server script; each reply defaults to a well-behaved server's.
    public init(
        capa: String = "+OK\r\nUSER\r\nUIDL\r\n.\r\n", passReply: String = "+OK logged in\r\n",
        uidl: String = "+OK\r\n1 uid-one\r\n.\r\n", list: String = "+OK\r\n1 5\r\n.\r\n",
        retr: String = "+OK\r\nabc\r\n.\r\n", retrAfterUTF8: String? = nil, expectPipelined: Int = 0
    ) {
        self.capa = capa
        self.passReply = passReply
        self.uidl = uidl
        self.list = list
        self.retr = retr
        self.retrAfterUTF8 = retrAfterUTF8
        self.expectPipelined = expectPipelined
    }

    /// Serves one connection until QUIT or end of input.
    /// - Throws: `TestToolError`, `NetworkError` when the client has gone.
    public func run(_ peer: FakeServer.Peer) throws {
        try peer.send("+OK fake POP3 ready\r\n")
        var utf8 = false
        var checked: Set<String> = []
        while let line = try peer.readLine() {
            let word = line.split(separator: " ").first?.uppercased() ?? ""
            if expectPipelined > 1, word == "RETR" || word == "DELE", checked.insert(word).inserted,
                try !peer.hasLines(expectPipelined - 1, within: 1)
            {
                try peer.send("-ERR \(word) was not pipelined\r\n")
                continue
            }
            switch word {
            case "CAPA": try peer.send(capa)
            case "UTF8" where capa.uppercased().contains("\nUTF8"):
                utf8 = true
                try peer.send("+OK UTF8 enabled\r\n")
            case "USER": try peer.send("+OK\r\n")
            case "PASS": try peer.send(passReply)
            case "UIDL": try peer.send(uidl)
            case "LIST": try peer.send(list)
            case "RETR": try peer.send(utf8 ? retrAfterUTF8 ?? retr : retr)
            case "DELE": try peer.send("+OK deleted\r\n")
            case "QUIT":
                try peer.send("+OK bye\r\n")
                return
            default: try peer.send("-ERR unknown command\r\n")
            }
        }
    }
}
