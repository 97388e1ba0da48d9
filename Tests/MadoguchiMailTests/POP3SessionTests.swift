// POP3Session against in-process hostile servers (B3, B5, B6, B8): dot-stuffing,
// a lone ".", protocol text in bodies, RETR length differing from LIST, size caps,
// refused logins with HTML and the password in the reply, STLS missing, slow drips.

import Glibc
import MadoguchiCore
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct POP3SessionTests {
    static let password = FetchAccount.fakePassword

    static func account(_ server: FakeServer, tls: TLSMode = .none) -> FetchAccount {
        .fake(.pop3, port: server.port, tls: tls)
    }

    static func open(_ server: FakeServer, limits: FetchLimits = .testing()) throws -> POP3Session {
        try POP3Session.open(account(server), limits: limits, log: Log(program: "pop3-test"))
    }

    @Test(
        "RETR un-stuffs dots and ends only at CRLF.CRLF", .timeLimit(.minutes(1)),
        arguments: [
            ("..leading dot\r\n", ".leading dot\r\n"),
            ("a\r\n..\r\nb\r\n", "a\r\n.\r\nb\r\n"),
            ("+OK inside\r\n-ERR inside\r\n", "+OK inside\r\n-ERR inside\r\n"),
            ("x\r\n.y\r\n. \r\n", "x\r\ny\r\n \r\n"),
            ("mid.\r\n.\r.\r\n", "mid.\r\n\r.\r\n"),
            ("日本語の本文\r\n", "日本語の本文\r\n"),
        ])
    func dotStuffing(wire: String, expected: String) throws {
        let script = FakePOP3(list: "+OK\r\n1 \(expected.utf8.count)\r\n.\r\n", retr: "+OK\r\n" + wire + ".\r\n")
        let server = try FakeServer { peer, _ in try script.run(peer) }
        let session = try Self.open(server)
        let listed = try session.list()
        #expect(listed == [RemoteMessage(uid: "uid-one", size: expected.utf8.count)])
        #expect(try session.fetchBytes(listed[0]) == Array(expected.utf8))
        try session.close()
        #expect(server.received.contains("QUIT"))
    }

    @Test("RETR length differing from LIST holds the message", .timeLimit(.minutes(1)))
    func sizeMismatch() throws {
        let script = FakePOP3(list: "+OK\r\n1 50\r\n.\r\n", retr: "+OK\r\nshort\r\n.\r\n")
        let server = try FakeServer { peer, _ in try script.run(peer) }
        let session = try Self.open(server)
        let listed = try session.list()
        #expect(throws: FetchError.sizeMismatch(uid: "uid-one", listed: 50, received: 7)) {
            _ = try session.fetchBytes(listed[0])
        }
        try session.close()
        server.waitUntilDone()
        #expect(!server.received.contains("DELE"))
    }

    @Test("an oversized message is not retrieved, an overlong RETR is cut off", .timeLimit(.minutes(1)))
    func sizeCaps() throws {
        let endless = "+OK\r\n" + String(repeating: "0123456789012345678901234567890123456789\r\n", count: 100)
        let script = FakePOP3(
            uidl: "+OK\r\n1 big\r\n2 liar\r\n.\r\n", list: "+OK\r\n1 5000\r\n2 10\r\n.\r\n", retr: endless)
        let server = try FakeServer { peer, _ in try script.run(peer) }
        let session = try Self.open(server, limits: FetchLimits.testing(maxSize: 1000))
        let listed = try session.list()
        #expect(throws: FetchError.messageTooLarge(uid: "big", size: 5000, limit: 1000)) {
            _ = try session.fetchBytes(listed[0])
        }
        #expect(!server.received.contains("RETR 1"))
        let error = #expect(throws: FetchError.self) { _ = try session.fetchBytes(listed[1]) }
        guard case .messageTooLarge(uid: "liar", _, limit: 1000)? = error else {
            Issue.record("expected messageTooLarge, got \(String(describing: error))")
            return
        }
        #expect(throws: FetchError.self) { try session.delete(listed) }
        try session.close()
    }

    @Test("a refused login is escaped and never shows the password", .timeLimit(.minutes(1)))
    func refusedLogin() throws {
        let script = FakePOP3(passReply: "-ERR [AUTH] <b>bad</b> password \(Self.password)\r\n")
        let server = try FakeServer { peer, _ in try script.run(peer) }
        let error = #expect(throws: FetchError.self) { _ = try Self.open(server) }
        guard case .authenticationFailed(_, let text)? = error else {
            Issue.record("expected authenticationFailed, got \(String(describing: error))")
            return
        }
        #expect(text == "[AUTH] <b>bad</b> password [hidden]")
        #expect(!(error?.description.contains(Self.password) ?? true))
        #expect(error?.exitCode == .noPermission)
    }

    @Test("STARTTLS configured but STLS not offered: abort before USER", .timeLimit(.minutes(1)))
    func stlsMissing() throws {
        let server = try FakeServer { peer, _ in try FakePOP3().run(peer) }
        #expect(throws: FetchError.startTLSNotOffered(account: "fake")) {
            _ = try POP3Session.open(
                Self.account(server, tls: .starttls), limits: FetchLimits.testing(), log: Log(program: "t"))
        }
        server.waitUntilDone()
        #expect(server.received.contains("CAPA"))
        #expect(!server.received.contains("USER"))
        #expect(!server.received.contains(Self.password))
    }

    @Test("an endless line without CRLF is refused", .timeLimit(.minutes(1)))
    func endlessLine() throws {
        let server = try FakeServer { peer, _ in
            try peer.send("+OK " + String(repeating: "x", count: 5000))
            _ = try peer.readLine()
        }
        let error = #expect(throws: FetchError.self) { _ = try Self.open(server) }
        #expect(error?.description.contains("line longer") == true)
    }

    @Test("a slow-drip server hits the session deadline", .timeLimit(.minutes(1)))
    func slowDrip() throws {
        let server = try FakeServer { peer, _ in
            for byte in "+OK slowly, very slowly, one byte at a time".utf8 {
                try peer.send([byte])
                usleep(300_000)
            }
        }
        let started = Monotonic.now()
        #expect(throws: NetworkError.timedOut("session deadline reached")) {
            _ = try Self.open(server, limits: FetchLimits.testing(session: 2, read: 1))
        }
        #expect(Monotonic.now() - started < 2.8)
    }

    @Test("a silent server hits the read timeout", .timeLimit(.minutes(1)))
    func silent() throws {
        let server = try FakeServer { peer, _ in _ = try peer.readLine() }
        let error = #expect(throws: NetworkError.self) {
            _ = try Self.open(server, limits: FetchLimits.testing(read: 1))
        }
        #expect(error?.isTransient == true)
    }
}
