// FakePOP3: a scripted in-process POP3 server (RFC 1939) for FakeServer: the listing
// and bodies it serves and how it answers PASS, set per test.

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

    /// A server script; each reply defaults to a well-behaved server's.
    public init(
        capa: String = "+OK\r\nUSER\r\nUIDL\r\n.\r\n", passReply: String = "+OK logged in\r\n",
        uidl: String = "+OK\r\n1 uid-one\r\n.\r\n", list: String = "+OK\r\n1 5\r\n.\r\n",
        retr: String = "+OK\r\nabc\r\n.\r\n"
    ) {
        self.capa = capa
        self.passReply = passReply
        self.uidl = uidl
        self.list = list
        self.retr = retr
    }

    /// Serves one connection until QUIT or end of input.
    public func run(_ peer: FakeServer.Peer) throws {
        try peer.send("+OK fake POP3 ready\r\n")
        while let line = try peer.readLine() {
            switch line.split(separator: " ").first?.uppercased() ?? "" {
            case "CAPA": try peer.send(capa)
            case "USER": try peer.send("+OK\r\n")
            case "PASS": try peer.send(passReply)
            case "UIDL": try peer.send(uidl)
            case "LIST": try peer.send(list)
            case "RETR": try peer.send(retr)
            case "DELE": try peer.send("+OK deleted\r\n")
            case "QUIT":
                try peer.send("+OK bye\r\n")
                return
            default: try peer.send("-ERR unknown command\r\n")
            }
        }
    }
}
