// FakeSMTP: a scripted in-process SMTP server (RFC 5321) for FakeServer: its EHLO
// keywords, STARTTLS (optionally with text injected after the go-ahead), AUTH, and
// the reply to each MAIL, RCPT, DATA and final dot, set per test; it keeps every
// message's DATA exactly as it came over the wire (still dot-stuffed).

import Synchronization

/// A scripted SMTP server.
public struct FakeSMTP: Sendable {
    /// What the fake received: each message's DATA lines as sent (CRLF-joined, still
    /// dot-stuffed, without the final dot line).
    public final class Received: Sendable {
        private let store = Mutex<[[UInt8]]>([])

        /// The messages in order.
        public var messages: [[UInt8]] { store.withLock { $0 } }

        fileprivate func append(_ message: [UInt8]) { store.withLock { $0.append(message) } }
    }

    /// The greeting.
    public var greeting = "220 fake.test ESMTP\r\n"
    /// The reply to EHLO (before STARTTLS, and after it unless `ehloAfterTLS` is set).
    public var ehlo =
        "250-fake.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250-STARTTLS\r\n"
        + "250-AUTH PLAIN LOGIN\r\n250 ENHANCEDSTATUSCODES\r\n"
    /// The reply to EHLO once TLS is on.
    public var ehloAfterTLS: String?
    /// The reply to STARTTLS, sent in one write (a hostile server appends replies here).
    public var startTLS = "220 2.0.0 Ready to start TLS\r\n"
    /// The server certificate for STARTTLS; nil answers STARTTLS but never starts TLS.
    public var certificate: CertificatePair?
    /// The final reply to AUTH.
    public var auth = "235 2.7.0 Authentication successful\r\n"
    /// The reply to the n-th MAIL FROM (from 0).
    public var mail: @Sendable (Int) -> String = { _ in "250 2.1.0 Ok\r\n" }
    /// The reply to a RCPT TO of message n with this address.
    public var rcpt: @Sendable (Int, String) -> String = { _, _ in "250 2.1.5 Ok\r\n" }
    /// The reply to DATA of message n.
    public var data: @Sendable (Int) -> String = { _ in "354 End data with <CR><LF>.<CR><LF>\r\n" }
    /// The reply after the final dot of message n.
    public var final: @Sendable (Int) -> String = { "250 2.0.0 Ok: queued as FAKE\($0)\r\n" }
    /// When more than 1: the first MAIL FROM is refused unless this many lines of its
    /// group (MAIL, RCPTs, DATA) arrive together, so a client that does not pipeline fails.
    public var expectPipelined = 0
    /// What arrived.
    public let received = Received()

    /// A well-behaved server; change the fields for a test.
    public init() {}

    /// Serves one connection until QUIT or end of input.
    /// - Throws: `TestToolError`, `NetworkError`, `TLSError` when the client has gone.
    public func run(_ peer: FakeServer.Peer) throws {
        try peer.send(greeting)
        var secured = false
        var message = -1
        var pipelineChecked = false
        while let line = try peer.readLine() {
            let upper = line.uppercased()
            let word = upper.split(separator: " ").first.map(String.init) ?? ""
            switch word {
            case "EHLO": try peer.send(secured ? ehloAfterTLS ?? ehlo : ehlo)
            case "HELO": try peer.send("250 fake.test\r\n")
            case "STARTTLS":
                try peer.send(startTLS)
                if let certificate, startTLS.hasPrefix("220") {
                    try peer.startTLS(certificate)
                    secured = true
                }
            case "AUTH":
                if upper.hasPrefix("AUTH LOGIN") {
                    try peer.send("334 VXNlcm5hbWU6\r\n")
                    _ = try peer.readLine()
                    try peer.send("334 UGFzc3dvcmQ6\r\n")
                    _ = try peer.readLine()
                }
                try peer.send(auth)
            case "MAIL":
                message += 1
                if expectPipelined > 1, !pipelineChecked {
                    pipelineChecked = true
                    if try !peer.hasLines(expectPipelined - 1, within: 1) {
                        try peer.send("503 5.5.0 MAIL was not pipelined\r\n")
                        continue
                    }
                }
                try peer.send(mail(message))
            case "RCPT":
                let address = line.drop { $0 != "<" }.dropFirst().prefix { $0 != ">" }
                try peer.send(rcpt(message, String(address)))
            case "DATA":
                let reply = data(message)
                try peer.send(reply)
                guard reply.hasPrefix("354") else { continue }
                var lines: [String] = []
                var ended = false
                while let dataLine = try peer.readLine() {
                    ended = dataLine == "."
                    if ended { break }
                    lines.append(dataLine)
                }
                guard ended else { return }  // the client left without the final dot: nothing arrived
                received.append(Array(lines.map { $0 + "\r\n" }.joined().utf8))
                try peer.send(final(message))
            case "RSET": try peer.send("250 2.0.0 Ok\r\n")
            case "NOOP": try peer.send("250 2.0.0 Ok\r\n")
            case "QUIT":
                try peer.send("221 2.0.0 Bye\r\n")
                return
            default: try peer.send("502 5.5.2 Error: command not recognized\r\n")
            }
        }
    }
}
