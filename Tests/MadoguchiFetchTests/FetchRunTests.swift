// FetchRun against a real Dovecot: POP3S, IMAPS and STARTTLS into the sealed spool
// (opened with the private key, bytes compared), delete after fetch, keep-days with
// an injected clock, UIDVALIDITY change without loss and with unchanged intake ids,
// oversize left on the server, and a wrong password not stopping other mailboxes.

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

        let first = fixture.runner().run([account])
        #expect(first.exitCode == .ok)
        #expect(first.spooled == 3 && first.deleted == 3 && first.oversize == 1)
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
        #expect(second.exitCode == .ok && second.spooled == 0 && second.oversize == 1)
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
        try (lines.joined(separator: "\n") + "\n").write(toFile: uidlist, atomically: true, encoding: .utf8)
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
        let keys = try SpoolKeyPair.generate()
        let spool = Spool(directory: directory.file("spool"))
        try spool.create()
        let publicKey = keys.publicKey
        let run = FetchRun(
            spool: spool, seal: { try SealedBox.seal($0, to: publicKey) }, identity: try FetchIdentityKey.generate(),
            stateDirectory: directory.path, limits: .testing(), log: FetchFixture.log, now: { 1000 })
        let summary = run.run([.fake(.pop3, port: server.port)])
        #expect(server.waitUntilDone())
        #expect(summary.exitCode == .ok)
        #expect(summary.mailboxes.first?.held == 1 && summary.spooled == 1 && summary.deleted == 1)
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
}
