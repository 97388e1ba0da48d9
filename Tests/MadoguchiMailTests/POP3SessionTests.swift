// POP3Session against in-process hostile servers (B3, B5, B6, B8): dot-stuffing,
// a lone ".", protocol text in bodies, RETR length differing from LIST, size caps,
// refused logins with HTML and the password in the reply, STLS missing, slow drips;
// and real servers' habits: RFC 2449 response codes (Cyrus's [LOGIN-DELAY]), RFC 6856
// UTF8 (Courier's wrapper) and RFC 2449 PIPELINING.

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

    /// A refused PASS, and what it must mean: (reply, exit status, transient, a password problem).
    static let refusals: [(String, SysExit, Bool, Bool)] = [
        ("-ERR [LOGIN-DELAY] wait 15 minutes between logins", .tempFail, true, false),
        ("-ERR [IN-USE] maildrop locked by another session", .tempFail, true, false),
        ("-ERR [SYS/TEMP] backend unavailable", .tempFail, true, false),
        ("-ERR [sys/temp] lower case", .tempFail, true, false),
        ("-ERR [SYS/PERM] mailbox damaged, call your administrator", .unavailable, false, false),
        ("-ERR [AUTH] invalid credentials", .noPermission, false, true),
        ("-ERR invalid password", .noPermission, false, true),
        ("-ERR [UNKNOWN-CODE] something", .noPermission, false, true),
        ("-ERR [LOGIN-DELAY", .noPermission, false, true),
    ]

    @Test(
        "a refused login is classified by its RFC 2449/3206 response code", .timeLimit(.minutes(1)), arguments: refusals
    )
    func refusalCodes(reply: String, exit: SysExit, transient: Bool, password: Bool) throws {
        let script = FakePOP3(passReply: reply + " \(Self.password)\r\n")
        let server = try FakeServer { peer, _ in try script.run(peer) }
        let error = #expect(throws: FetchError.self) { _ = try Self.open(server) }
        #expect(error.map { exitCode(for: $0) } == exit)
        #expect(error?.isTransient == transient)
        if case .authenticationFailed? = error {
            #expect(password)
        } else {
            #expect(!password)
        }
        #expect(!(error?.description.contains(Self.password) ?? true))
    }

    @Test("UTF8 is sent when offered (RFC 6856): Courier's larger wrapper is avoided", .timeLimit(.minutes(1)))
    func utf8() throws {
        let raw = "From: 差出人 <a@example.jp>\r\nSubject: 日本語の件名\r\n\r\n本文\r\n"
        let wrapper =
            "From: Mail Delivery Subsystem <postmaster>\r\nSubject: Cannot display Unicode content\r\n\r\n" + raw
        let script = FakePOP3(
            capa: "+OK\r\nUSER\r\nUIDL\r\nUTF8 USER\r\n.\r\n", list: "+OK\r\n1 \(raw.utf8.count)\r\n.\r\n",
            retr: "+OK\r\n" + wrapper + ".\r\n", retrAfterUTF8: "+OK\r\n" + raw + ".\r\n")
        let server = try FakeServer { peer, _ in try script.run(peer) }
        let session = try Self.open(server)
        #expect(session.utf8)
        let listed = try session.list()
        #expect(try session.fetchBytes(listed[0]) == Array(raw.utf8))
        try session.close()
        server.waitUntilDone()
        let sent = server.received
        let utf8 = try #require(sent.range(of: "UTF8\r\n"))
        let user = try #require(sent.range(of: "USER "))
        #expect(utf8.lowerBound < user.lowerBound)
    }

    @Test("UTF8 is not sent when not offered", .timeLimit(.minutes(1)))
    func noUTF8() throws {
        let server = try FakeServer { peer, _ in try FakePOP3().run(peer) }
        let session = try Self.open(server)
        #expect(!session.utf8)
        try session.close()
        server.waitUntilDone()
        #expect(!server.received.contains("UTF8"))
    }

    @Test("PIPELINING: RETR and DELE go out in batches; answers are read in order", .timeLimit(.minutes(1)))
    func pipelining() throws {
        let count = 40
        let uidl = "+OK\r\n" + (1...count).map { "\($0) uid-\($0)\r\n" }.joined() + ".\r\n"
        let list = "+OK\r\n" + (1...count).map { "\($0) 5\r\n" }.joined() + ".\r\n"
        let script = FakePOP3(
            capa: "+OK\r\nUSER\r\nUIDL\r\nPIPELINING\r\n.\r\n", uidl: uidl, list: list,
            expectPipelined: POP3Session.retrWindow)
        let server = try FakeServer { peer, _ in try script.run(peer) }
        let session = try Self.open(server)
        #expect(session.pipelining)
        let listed = try session.list()
        var seen: [String] = []
        try session.fetchAll(listed) { message, outcome in
            seen.append(message.uid)
            guard case .success(let bytes) = outcome else {
                Issue.record("message \(message.uid): \(outcome)")
                return
            }
            #expect(bytes == Array("abc\r\n".utf8))
        }
        #expect(seen == listed.map(\.uid))
        #expect(try session.delete(listed).isEmpty)
        try session.close()
        server.waitUntilDone()
        let sent = server.received
        #expect((1...count).allSatisfy { sent.contains("RETR \($0)\r\n") && sent.contains("DELE \($0)\r\n") })
        #expect(server.scriptErrors.isEmpty, "\(server.scriptErrors)")
    }

    @Test("without PIPELINING each RETR waits for the answer before it", .timeLimit(.minutes(1)))
    func noPipelining() throws {
        let script = FakePOP3(
            uidl: "+OK\r\n1 a\r\n2 b\r\n3 c\r\n.\r\n", list: "+OK\r\n1 5\r\n2 5\r\n3 5\r\n.\r\n",
            expectPipelined: 2)
        let server = try FakeServer { peer, _ in try script.run(peer) }
        let session = try Self.open(server)
        let error = #expect(throws: FetchError.self) { try session.fetchAll(try session.list()) { _, _ in } }
        #expect(error?.description.contains("RETR was not pipelined") == true)
        try session.close()
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
