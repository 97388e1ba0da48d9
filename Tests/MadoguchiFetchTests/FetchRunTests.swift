// FetchRun against a real Dovecot: POP3S, IMAPS and STARTTLS into the sealed spool
// (opened with the private key, bytes compared), delete after fetch, keep-days with
// an injected clock, UIDVALIDITY change without loss and with unchanged intake ids,
// oversize left on the server (a warning, 65), and a wrong password not stopping
// other mailboxes; against fakes: held messages, foreign \Deleted messages without
// UIDPLUS (B10), Courier's UTF8 and POP3 login response codes.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiFetch
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct FetchRunTests {
    @Test(
        "fetches into the spool byte-exact and deletes on the server; oversize stays",
        .timeLimit(.minutes(1)), arguments: [MailProtocol.pop3, .imap], [TLSMode.implicit, .starttls])
    func fetchAndDelete(mailProtocol: MailProtocol, tls: TLSMode) throws {
        let fixture = try FetchFixture()
        let messages = (1...3).map { FetchFixture.message("m\($0)") }
        for (index, message) in messages.enumerated() {
            try fixture.server.deliver(message, name: "100000000\(index).M\(index)P1.test")
        }
        try fixture.server.deliver(FetchFixture.message("big", size: 300 * 1024), name: "1000000009.M9P1.test")
        let account = fixture.account(mailProtocol, tls)

        // A message left on the server is a warning and exits 65, never ok.
        let first = fixture.runner().run([account])
        #expect(first.exitCode == .dataError)
        #expect(first.spooled == 3 && first.deleted == 3 && first.oversize == 1)
        #expect(first.mailboxes[0].outcome == "warning" && first.mailboxes[0].error == nil)
        #expect(first.mailboxes[0].warnings == ["1 message(s) larger than mail_max_message_size left on the server"])
        let spooled = try fixture.spooled()
        #expect(Set(spooled.values.map(\.1)) == Set(messages), "spooled bytes differ")
        for (intake, (envelope, raw)) in spooled {
            #expect(intake == (try fixture.identity.intakeID(mailbox: "dovecot", raw: raw)))
            #expect(envelope.mailbox == "dovecot" && envelope.size == raw.count)
            #expect(envelope.source.hasPrefix(mailProtocol == .imap ? "imap:" : "pop3:"))
        }
        #expect(try fixture.onServer() == ["1000000009.M9P1.test"])

        // The oversized message is reported again on every run and never fetched.
        let second = fixture.runner().run([account])
        #expect(second.exitCode == .dataError && second.spooled == 0 && second.oversize == 1)
        #expect(try fixture.spooled().count == 3)
    }

    @Test(
        "keep-days keeps messages, fetches nothing twice, deletes after N days", .timeLimit(.minutes(1)),
        arguments: [MailProtocol.pop3, .imap])
    func keepDays(mailProtocol: MailProtocol) throws {
        let fixture = try FetchFixture()
        let messages = (1...3).map { FetchFixture.message("k\($0)") }
        for (index, message) in messages.enumerated() {
            try fixture.server.deliver(message, name: "100000000\(index).M\(index)P1.test")
        }
        let account = fixture.account(mailProtocol, keepDays: 2)
        let start = Int64(time(nil))
        let first = fixture.runner(now: { start }).run([account])
        #expect(first.spooled == 3 && first.deleted == 0)
        #expect(try fixture.onServer().count == 3)
        try fixture.drainSpool()

        let later = fixture.runner(now: { start + 86400 }).run([account])
        #expect(later.spooled == 0 && later.deleted == 0)
        #expect(try fixture.spooled().isEmpty)
        #expect(try fixture.onServer().count == 3)

        try fixture.server.deliver(FetchFixture.message("k4"), name: "1000000004.M4P1.test")
        let expired = fixture.runner(now: { start + 2 * 86400 + 1 }).run([account])
        #expect(expired.exitCode == .ok && expired.spooled == 1 && expired.deleted == 3)
        #expect(try fixture.onServer() == ["1000000004.M4P1.test"])
    }

    @Test("a UIDVALIDITY change refetches without loss and with the same intake ids", .timeLimit(.minutes(1)))
    func validityChange() throws {
        let fixture = try FetchFixture()
        let messages = (1...3).map { FetchFixture.message("v\($0)") }
        for (index, message) in messages.enumerated() {
            try fixture.server.deliver(message, name: "100000000\(index).M\(index)P1.test")
        }
        let keep = fixture.account(.imap, keepDays: 30)
        #expect(fixture.runner().run([keep]).spooled == 3)
        let before = try fixture.spooled()
        let oldState = try FetchState.load(directory: fixture.stateDirectory, mailbox: "dovecot")
        try fixture.drainSpool()

        // Recreate the mailbox as a server would after a restore: a new UIDVALIDITY in
        // dovecot-uidlist and no index, so every UID is void.
        let maildir = fixture.server.maildir
        let uidlist = maildir + "/dovecot-uidlist"
        var lines = try String(contentsOfFile: uidlist, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: " ").map { field in
            field.hasPrefix("V") ? "V\((Int(field.dropFirst()) ?? 0) + 7)" : String(field)
        }
        lines[0] = header.joined(separator: " ")
        try (lines.joined(separator: "\n") + "\n").write(toFile: uidlist, atomically: false, encoding: .utf8)
        for name in try FileManager.default.contentsOfDirectory(atPath: maildir) where name.hasPrefix("dovecot.index") {
            try FileManager.default.removeItem(atPath: maildir + "/" + name)
        }
        let summary = fixture.runner().run([fixture.account(.imap)])
        #expect(summary.exitCode == .ok)
        let newState = try FetchState.load(directory: fixture.stateDirectory, mailbox: "dovecot")
        #expect(newState.validity != oldState.validity)
        let after = try fixture.spooled()
        #expect(Set(after.keys) == Set(before.keys))
        for message in messages {
            #expect(
                after[try fixture.identity.intakeID(mailbox: "dovecot", raw: message)].map { $0.1 == message } == true)
        }
        #expect(try fixture.onServer().isEmpty)
    }

    @Test("a wrong password fails that mailbox clearly; the other is still fetched", .timeLimit(.minutes(1)))
    func wrongPassword() throws {
        let fixture = try FetchFixture()
        try fixture.server.deliver(FetchFixture.message("w1"), name: "1000000001.M1P1.test")
        let wrong = "Wrong-Password-77"
        let bad = fixture.account(.imap, name: "bad", password: wrong)
        let good = fixture.account(.pop3, name: "good")
        let summary = fixture.runner().run([bad, good])
        #expect(summary.exitCode == .noPermission)
        #expect(summary.mailboxes.map(\.mailbox) == ["bad", "good"])
        let failed = try #require(summary.mailboxes.first)
        #expect(failed.exitCode == .noPermission)
        let text = try #require(failed.error)
        #expect(text.contains("refused") && !text.contains(wrong))
        #expect(summary.mailboxes[1].error == nil && summary.mailboxes[1].spooled == 1)
        let status = FetchStatus(summary: summary, start: Date(), end: Date())
        #expect(!String(decoding: status.json, as: UTF8.self).contains(wrong))
        #expect(status.outcome == "failed" && status.exit == 77)
    }

    @Test("an unreachable server is transient (75) and beats a permanent failure", .timeLimit(.minutes(1)))
    func transientWins() throws {
        let fixture = try FetchFixture()
        var unreachable = fixture.account(.pop3, name: "down")
        unreachable.port = try FakeServer.freePort()
        let bad = fixture.account(.imap, name: "bad", password: "nope")
        let summary = fixture.runner().run([unreachable, bad])
        #expect(summary.mailboxes[0].exitCode == .tempFail)
        #expect(summary.exitCode == .tempFail)
        #expect(summary.failedMailboxes == 2)
    }

    @Test("fetch_max_messages caps each run; the rest comes in the next runs", .timeLimit(.minutes(1)))
    func messageCap() throws {
        let fixture = try FetchFixture()
        for index in 1...5 {
            try fixture.server.deliver(FetchFixture.message("c\(index)"), name: "100000000\(index).M\(index)P1.test")
        }
        var limits = FetchFixture.limits
        limits.maxMessages = 2
        let account = fixture.account(.imap)
        #expect(fixture.runner(limits: limits).run([account]).spooled == 2)
        #expect(try fixture.onServer().count == 3)
        #expect(fixture.runner(limits: limits).run([account]).spooled == 2)
        #expect(fixture.runner(limits: limits).run([account]).spooled == 1)
        #expect(try fixture.onServer().isEmpty)
        #expect(try fixture.spooled().count == 5)
    }

    @Test(
        "a size mismatch holds that message on the server; the others are spooled and deleted", .timeLimit(.minutes(1)))
    func sizeMismatchHeld() throws {
        var script = FakePOP3()
        script.uidl = "+OK\r\n1 uid-good\r\n2 uid-liar\r\n.\r\n"
        script.list = "+OK\r\n1 5\r\n2 99\r\n.\r\n"
        let pop3 = script
        let server = try FakeServer { peer, _ in try pop3.run(peer) }
        let directory = try TemporaryDirectory()
        let (run, spool, keys) = try Self.fakeRun(directory)
        let summary = run.run([.fake(.pop3, port: server.port)])
        #expect(server.waitUntilDone())
        #expect(summary.exitCode == .dataError)
        #expect(summary.mailboxes.first?.held == 1 && summary.spooled == 1 && summary.deleted == 1)
        let result = try #require(summary.mailboxes.first)
        #expect(result.outcome == "warning" && result.error == nil)
        #expect(result.warnings.first?.contains("1 message(s) held on the server") == true)
        #expect(result.warnings.first?.contains("uid-liar") == true)
        let status = FetchStatus(summary: summary, start: Date(), end: Date())
        #expect(status.outcome == "warning" && status.exit == 65)
        #expect(status.lastResult(of: "fake")?.text.hasPrefix("warning: 1 message(s) held") == true)
        #expect(server.received.contains("DELE 1") && !server.received.contains("DELE 2"))
        let spooled = try FetchFixture.open(spool: spool, keys: keys)
        #expect(spooled.values.map(\.1) == [Array("abc\r\n".utf8)])
    }

    @Test("a refused login backs off 1, 2, 4 … minutes; new credentials retry at once (B8)", .timeLimit(.minutes(1)))
    func loginBackoff() throws {
        let fixture = try FetchFixture()
        try fixture.server.deliver(FetchFixture.message("b1"), name: "1000000001.M1P1.test")
        let wrong = fixture.account(.imap, password: "Wrong-Backoff-1")
        let start = Int64(time(nil))
        func attempt(_ account: FetchAccount, at offset: Int64) -> FetchMailboxResult {
            fixture.runner(now: { start + offset }).run([account]).mailboxes[0]
        }
        #expect(attempt(wrong, at: 0).error?.contains("login to dovecot refused") == true)
        var backoff = try #require(try FetchBackoff.load(directory: fixture.stateDirectory, mailbox: "dovecot"))
        #expect(backoff.failures == 1 && backoff.retryAt == start + 60)
        #expect(
            !(try String(contentsOfFile: fixture.stateDirectory + "/dovecot.backoff", encoding: .utf8))
                .contains("Wrong-Backoff-1"))

        let waiting = attempt(wrong, at: 30)
        #expect(waiting.exitCode == .noPermission && waiting.error?.contains("not retried for 30 s") == true)
        #expect(attempt(wrong, at: 61).error?.contains("login to dovecot refused") == true)
        backoff = try #require(try FetchBackoff.load(directory: fixture.stateDirectory, mailbox: "dovecot"))
        #expect(backoff.failures == 2 && backoff.delay == 120)
        #expect(attempt(wrong, at: 61 + 119).error?.contains("not retried") == true)

        // Corrected credentials are tried at once, and success clears the record.
        let fixed = attempt(fixture.account(.imap), at: 61 + 119)
        #expect(fixed.error == nil && fixed.spooled == 1)
        #expect(try FetchBackoff.load(directory: fixture.stateDirectory, mailbox: "dovecot") == nil)
        #expect(FetchBackoff(failures: 20, lastAttempt: 0, fingerprint: "").delay == 3600)
    }

    @Test(
        "an allowed tls = none to another machine is a warning in every status view, not ok", .timeLimit(.minutes(1)))
    func allowedPlaintextWarns() throws {
        let pop3 = FakePOP3()
        let server = try FakeServer { peer, _ in try pop3.run(peer) }
        let directory = try TemporaryDirectory()
        let (run, _, _) = try Self.fakeRun(directory)
        // 0.0.0.0 is not loopback by name, yet Linux connects it to the local listener.
        var account = FetchAccount.fake(.pop3, port: server.port)
        account.host = "0.0.0.0"
        account.allowPlaintext = true
        #expect(account.isPlaintextOverNetwork)
        let summary = run.run([account])
        #expect(server.waitUntilDone())
        let result = try #require(summary.mailboxes.first)
        #expect(result.error == nil && result.spooled == 1 && result.exitCode == .ok)
        #expect(result.outcome == "warning")
        #expect(
            result.warnings == [
                "tls = none: the password and the mail travel in plaintext to 0.0.0.0 (allowed by --allow-plaintext)"
            ])
        let status = FetchStatus(summary: summary, start: Date(), end: Date())
        #expect(status.outcome == "warning" && status.exit == 0)
        #expect(status.lastResult(of: "fake")?.text.hasPrefix("warning: tls = none") == true)

        // The same over loopback never leaves the machine: no warning.
        let local = try FakeServer { peer, _ in try pop3.run(peer) }
        let loopback = run.run([.fake(.pop3, port: local.port)])
        #expect(local.waitUntilDone())
        #expect(loopback.mailboxes.first?.warnings == [] && loopback.mailboxes.first?.outcome == "ok")
        #expect(FetchStatus(summary: loopback, start: Date(), end: Date()).outcome == "ok")
    }

    /// A FetchRun into a fresh spool, for the fake servers.
    static func fakeRun(_ directory: TemporaryDirectory) throws -> (FetchRun, Spool, SpoolKeyPair) {
        let keys = try SpoolKeyPair.generate()
        let spool = Spool(directory: directory.file("spool"))
        try spool.create()
        let publicKey = keys.publicKey
        let run = FetchRun(
            spool: spool, seal: { try SealedBox.seal($0, to: publicKey) }, identity: try FetchIdentityKey.generate(),
            stateDirectory: directory.path, limits: .testing(), log: FetchFixture.log, now: { 1000 })
        return (run, spool, keys)
    }

    @Test(
        "B10: without UIDPLUS, a foreign \\Deleted message leaves ours flagged with a warning; a later run expunges",
        .timeLimit(.minutes(1)))
    func foreignDeleted() throws {
        let server = try FakeServer(connections: 2) { peer, index in
            try FakeIMAP(
                capability: "IMAP4rev1 AUTH=PLAIN", listReply: "* 1 FETCH (UID 4 RFC822.SIZE 5)\r\n",
                search: { _ in index == 0 ? "* SEARCH 9\r\n" : "* SEARCH\r\n" }
            ).run(peer)
        }
        let directory = try TemporaryDirectory()
        let (run, spool, keys) = try Self.fakeRun(directory)
        let account = FetchAccount.fake(.imap, port: server.port)
        let first = try #require(run.run([account]).mailboxes.first)
        #expect(first.error == nil && first.spooled == 1 && first.deleted == 0 && first.undeleted == 1)
        #expect(first.exitCode == .tempFail && first.outcome == "warning")
        #expect(first.warnings.first?.contains("flagged \\Deleted") == true)
        #expect(try FetchFixture.open(spool: spool, keys: keys).count == 1)
        #expect(try FetchState.load(directory: directory.path, mailbox: "fake").taken["4"] != nil)

        let second = try #require(run.run([account]).mailboxes.first)
        #expect(second.error == nil && second.spooled == 0 && second.deleted == 1 && second.undeleted == 0)
        #expect(second.exitCode == .ok && second.warnings.isEmpty)
        server.waitUntilDone()
        let sessions = server.received.components(separatedBy: "LOGOUT")
        #expect(!sessions[0].contains("EXPUNGE") && sessions[1].contains(" EXPUNGE\r\n"))
    }

    @Test(
        "Courier's POP3 with UTF8: a message with raw UTF-8 header fields is spooled, not held", .timeLimit(.minutes(1))
    )
    func courierUTF8() throws {
        let raw = "From: 差出人 <a@example.jp>\r\nSubject: 件名\r\n\r\n本文\r\n"
        let script = FakePOP3(
            capa: "+OK\r\nUSER\r\nUIDL\r\nUTF8 USER\r\n.\r\n", list: "+OK\r\n1 \(raw.utf8.count)\r\n.\r\n",
            retr: "+OK\r\nSubject: Cannot display Unicode content\r\n\r\n" + raw + ".\r\n",
            retrAfterUTF8: "+OK\r\n" + raw + ".\r\n")
        let server = try FakeServer { peer, _ in try script.run(peer) }
        let directory = try TemporaryDirectory()
        let (run, spool, keys) = try Self.fakeRun(directory)
        let summary = run.run([.fake(.pop3, port: server.port)])
        #expect(summary.exitCode == .ok && summary.mailboxes.first?.held == 0 && summary.spooled == 1)
        #expect(try FetchFixture.open(spool: spool, keys: keys).values.map(\.1) == [Array(raw.utf8)])
    }

    @Test(
        "a login put off by the server (RFC 2449/3206, RFC 5530) is 75 without a password back-off; a refused one backs off",
        .timeLimit(.minutes(1)),
        arguments: [
            (MailProtocol.pop3, "-ERR [LOGIN-DELAY] 900 seconds between logins", SysExit.tempFail, false),
            (.pop3, "-ERR [IN-USE] maildrop in use", .tempFail, false),
            (.pop3, "-ERR [SYS/TEMP] try again", .tempFail, false),
            (.pop3, "-ERR [SYS/PERM] account broken", .unavailable, false),
            (.pop3, "-ERR [AUTH] bad password", .noPermission, true),
            (.imap, "NO [UNAVAILABLE] backend down", .tempFail, false),
            (.imap, "NO [INUSE] mailbox locked", .tempFail, false),
            (.imap, "NO [LIMIT] too many sessions", .tempFail, false),
            (.imap, "NO [PRIVACYREQUIRED] use TLS", .unavailable, false),
            (.imap, "NO [AUTHENTICATIONFAILED] invalid credentials", .noPermission, true),
            (.imap, "NO login failed", .noPermission, true),
        ])
    func loginCodes(mailProtocol: MailProtocol, reply: String, exit: SysExit, backsOff: Bool) throws {
        let pop3 = FakePOP3(passReply: reply + "\r\n")
        let imap = FakeIMAP(loginReply: reply)
        let server = try FakeServer { peer, _ in try mailProtocol == .pop3 ? pop3.run(peer) : imap.run(peer) }
        let directory = try TemporaryDirectory()
        let (run, _, _) = try Self.fakeRun(directory)
        let result = try #require(run.run([.fake(mailProtocol, port: server.port)]).mailboxes.first)
        #expect(result.exitCode == exit)
        // The code stays in the shown text, so the administrator sees the server's reason.
        let text = reply.split(separator: " ", maxSplits: 1)[1]
        #expect(result.error?.contains(String(text)) == true, "\(result.error ?? "")")
        #expect((try FetchBackoff.load(directory: directory.path, mailbox: "fake") != nil) == backsOff)
    }

}
