// `madoguchi quarantine`: list JSON keys and values, show with decrypted metadata,
// --raw only to a non-terminal, release into the spool (sealed, same mailbox and
// intake id, row removed), delete, unknown ids, and an audit entry for every action.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiPrograms
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct QuarantineCommandTests {
    static let raw = Array(
        """
        From: attacker@example.net\r
        To: support@example.com\r
        Subject: 請求書 invoice\r
        Date: Sun, 29 Nov 2026 18:00:00 +0900\r
        \r
        X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\r

        """.utf8)

    /// Quarantines `raw` through scan-and-file's Filer (sealed raw and metadata, its own
    /// `system:scan-and-file` audit entry).
    @discardableResult
    func quarantine(
        _ fixture: AdminCommandFixture, mailbox: String = "support", received: Int64 = AdminCommandFixture.nine,
        virus: String = "Eicar-Signature"
    ) throws -> Int64 {
        let filer = Filer(
            database: fixture.instance.database, keys: fixture.instance.keys, log: Log(program: "madoguchi-test"))
        try fixture.instance.database.write { try Mailboxes.create(mailbox, in: $0, now: received) }
        let envelope = SpoolEnvelope(
            intakeID: "\(mailbox):test", mailbox: mailbox, source: "pop3:1", fetchedAt: received, size: Self.raw.count)
        let result = try filer.quarantine(
            envelope: envelope, raw: Self.raw, virus: virus, now: Date(timeIntervalSince1970: Double(received)))
        guard case .quarantined(let id) = result else {
            Issue.record("not quarantined: \(result)")
            return 0
        }
        return id
    }

    /// A pseudo-terminal pair through /dev/ptmx (posix_openpt is not imported by Glibc).
    static func pseudoTerminal() throws -> (master: Int32, slave: Int32) {
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try #require(master >= 0)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        try #require(ioctl(master, 0x4004_5431, &unlock) == 0)  // TIOCSPTLCK
        try #require(ioctl(master, 0x8004_5430, &number) == 0)  // TIOCGPTN
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        try #require(isatty(slave) == 1)
        return (master, slave)
    }

    func count(_ fixture: AdminCommandFixture) throws -> Int64? {
        try fixture.instance.database.connection.scalar("SELECT count(*) FROM quarantine")?.int64Value
    }

    @Test("list --json: id, received, virus, size and mailbox, newest first; audited")
    func list() throws {
        let fixture = try AdminCommandFixture()
        let first = try quarantine(fixture, mailbox: "support")
        let second = try quarantine(
            fixture, mailbox: "sales", received: AdminCommandFixture.nine + 60, virus: "Win.Test\u{1B}[31m")
        let (status, output, _) = try fixture.quarantine(["list", "--json"])
        #expect(status == .ok)
        let objects = try AdminCommandFixture.objects(output)
        try #require(objects.count == 2)
        #expect(Set(objects[0].keys) == ["id", "received", "virus", "size", "mailbox"])
        #expect(objects[0]["id"] as? Int == Int(second))
        #expect(objects[0]["received"] as? String == "2026-11-29T09:01:00Z")
        #expect(objects[0]["virus"] as? String == "Win.Test\u{1B}[31m")
        #expect(objects[0]["mailbox"] as? String == "sales")
        #expect(objects[1]["id"] as? Int == Int(first))
        #expect(objects[1]["received"] as? String == "2026-11-29T09:00:00Z")
        #expect(objects[1]["virus"] as? String == "Eicar-Signature")
        #expect(objects[1]["size"] as? Int == Self.raw.count)

        let text = try fixture.quarantine(["list"]).output
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("Win.Test\\x1B[31m"))

        // A row without a mailbox keeps the key, as null.
        try fixture.instance.database.write {
            try $0.run("UPDATE quarantine SET mailbox_id = NULL WHERE id = ?", [.integer(first)])
        }
        let nulled = try AdminCommandFixture.objects(try fixture.quarantine(["list", "--json"]).output)
        #expect(nulled.last?["mailbox"] is NSNull)
        #expect(nulled.last.map { Set($0.keys) } == ["id", "received", "virus", "size", "mailbox"])

        let audit = try fixture.adminAudit()
        #expect(audit.map { $0.string("action") } == ["quarantine-list", "quarantine-list", "quarantine-list"])
        #expect(audit.allSatisfy { $0.string("actor") == AdminCommandFixture.actor })
    }

    @Test("show prints decrypted metadata and the purge date, audited; unknown ids are refused")
    func show() throws {
        let fixture = try AdminCommandFixture()
        let id = try quarantine(fixture)
        let (status, output, _) = try fixture.quarantine(["show", String(id)])
        #expect(status == .ok)
        #expect(output.contains("From:        attacker@example.net\n"))
        #expect(output.contains("Subject:     請求書 invoice\n"))
        #expect(output.contains("Date:        2026-11-29T09:00:00Z\n"))  // 18:00 +0900
        #expect(output.contains("Virus:       Eicar-Signature\n"))
        #expect(output.contains("Purge after: 2026-12-29T09:00:00Z\n"))
        #expect(output.contains("Size:        \(Self.raw.count) bytes\n"))
        #expect(!output.contains("EICAR"))
        let row = try #require(try fixture.adminAudit().last)
        #expect(row.string("action") == "quarantine-show")
        #expect(row.string("target") == "quarantine:\(id)")

        #expect(throws: QuarantineError.notFound(id: id + 1)) { try fixture.quarantine(["show", String(id + 1)]) }
        #expect(throws: UsageError.self) { try fixture.quarantine(["show"]) }
        #expect(throws: UsageError.self) { try fixture.quarantine(["show", "x1"]) }
        #expect(throws: UsageError.self) { try fixture.quarantine(["list", "--raw"]) }
        #expect(throws: UsageError.self) { try fixture.quarantine(["purge"]) }
    }

    @Test("show --raw writes the raw bytes to a file but refuses a terminal")
    func raw() throws {
        let fixture = try AdminCommandFixture()
        let id = try quarantine(fixture)
        let (status, output, _) = try fixture.quarantine(["show", "--raw", String(id)])
        #expect(status == .ok)
        #expect(Array(output.utf8) == Self.raw)
        #expect(try fixture.adminAudit().last?.string("action") == "quarantine-show-raw")

        let terminal = try Self.pseudoTerminal()
        defer {
            close(terminal.master)
            close(terminal.slave)
        }
        let context = try fixture.context
        #expect(throws: QuarantineError.rawToTerminal) {
            try QuarantineCommand.run(
                AdminInvocation(
                    arguments: ["show", "--raw", String(id)], context: context, output: terminal.slave,
                    actor: AdminCommandFixture.actor))
        }
        #expect(try fixture.adminAudit().count == 1)
    }

    @Test("release re-queues the sealed raw message with its mailbox and intake id, then removes the row")
    func release() throws {
        let fixture = try AdminCommandFixture()
        let id = try quarantine(fixture, mailbox: "窓口")
        let (status, output, _) = try fixture.quarantine(["release", String(id)])
        #expect(status == .ok)
        #expect(output.hasPrefix("quarantine \(id) re-queued for scanning"))
        #expect(try count(fixture) == 0)

        let spool = Spool(directory: fixture.layout.spoolDirectory)
        let pending = try spool.pending()
        try #require(pending.count == 1)
        let pair = try SpoolKeyPair.load(privateKeyPath: fixture.layout.keyDirectory + "/" + SpoolKeyPair.fileName)
        let (envelope, raw) = try spool.read(pending[0], limit: 1 << 20) { try SealedBox.open($0, with: pair) }
        #expect(raw == Self.raw)
        #expect(envelope.mailbox == "窓口")
        // Named by the database's own keyed id, which scan-and-file computes again from the bytes.
        let keyed = try IntakeID.of(Self.raw, mailbox: "窓口", keys: fixture.instance.keys)
        #expect(envelope.intakeID == "窓口:" + keyed)
        #expect(envelope.fetchedAt == AdminCommandFixture.nine)

        let row = try #require(try fixture.adminAudit().last)
        #expect(row.string("action") == "quarantine-release")
        #expect(row.string("target") == "quarantine:\(id)")
        #expect(throws: QuarantineError.notFound(id: id)) { try fixture.quarantine(["release", String(id)]) }
    }

    @Test("release --force files the message without scanning, searchable, and removes the row, audited")
    func releaseForce() throws {
        let fixture = try AdminCommandFixture()
        let id = try quarantine(fixture)
        let (status, output, _) = try fixture.quarantine(["release", "--force", String(id)])
        #expect(status == .ok)
        #expect(try count(fixture) == 0)
        #expect(try Spool(directory: fixture.layout.spoolDirectory).pending().isEmpty)

        let listed = try AdminCommandFixture.objects(try fixture.list(["--json"]).output)
        try #require(listed.count == 1)
        let inquiry = try #require(listed[0]["id"] as? Int)
        #expect(output == "quarantine \(id) filed without scanning into inquiry \(inquiry)\n")
        #expect(listed[0]["subject"] as? String == "請求書 invoice")
        #expect(listed[0]["mailbox"] as? String == "support")
        #expect(listed[0]["received"] as? String == "2026-11-29T09:00:00Z")
        let found = try AdminCommandFixture.objects(try fixture.search(["--json", "EICAR-STANDARD"]).output)
        #expect(found.compactMap { $0["id"] as? Int } == [inquiry])

        let rows = try fixture.adminAudit()
        let release = try #require(rows.first { $0.string("action") == "quarantine-release-force" })
        #expect(release.string("target") == "quarantine:\(id)")
        #expect(release.string("detail") == #"{"duplicate":0}"#)
        #expect(throws: QuarantineError.notFound(id: id)) {
            try fixture.quarantine(["release", "--force", String(id)])
        }
    }

    @Test(
        "release --force killed just before its commit leaves the row and files nothing; a rerun files it once",
        .blocksThreads)
    func releaseForceAtomic() throws {
        let fixture = try AdminCommandFixture()
        let id = try quarantine(fixture)
        let database = fixture.instance.database
        func count(_ table: String) throws -> Int64? {
            try database.connection.scalar("SELECT count(*) FROM \(table)")?.int64Value
        }
        let release = ["quarantine", "release", "--force", String(id)]
        let killed = try fixture.runBinary(release, environment: ["MADOGUCHI_CRASH_AT": "during-commit"])
        #expect(killed.status == SIGKILL, "\(killed.error) \(killed.output)")
        #expect(try count("quarantine") == 1)
        for table in ["messages", "inquiries", "message_search", "customers"] {
            #expect(try count(table) == 0, "\(table)")
        }
        #expect(try fixture.audit().allSatisfy { $0.string("action") != "quarantine-release-force" })

        let rerun = try fixture.runBinary(release)
        #expect(rerun.status == 0, "\(rerun.error)")
        #expect(try count("quarantine") == 0)
        #expect(try count("messages") == 1)
        let entries = try fixture.audit().filter { $0.string("action") == "quarantine-release-force" }
        #expect(entries.map { $0.string("detail") } == [#"{"duplicate":0}"#])
    }

    @Test(
        "end to end with real clamd: scan-and-file quarantines, release re-queues, the rescan quarantines again",
        .timeLimit(.minutes(3)), .blocksThreads)
    func releaseRescanned() throws {
        let (clamd, scan) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        try scan.enqueue(ClamdSamples.plainBody())
        #expect(try scan.run().status == 0)
        let instance = try scan.open()
        let first = try scan.count("SELECT id FROM quarantine")
        try #require(first > 0)
        let configuration = try Configuration.load(path: scan.layout.configurationFile)

        try Quarantine.release(
            first, in: instance, configuration: configuration, actor: AdminCommandFixture.actor)
        #expect(try scan.count("SELECT count(*) FROM quarantine") == 0)
        #expect(try scan.pending().count == 1)
        let (status, output) = try scan.run()
        #expect(status == 0, "\(output)")
        #expect(try scan.pending().isEmpty)
        // Still infected: quarantined again under a new id, never filed.
        let second = try scan.count("SELECT id FROM quarantine")
        #expect(second > 0 && second != first)
        #expect(try scan.count("SELECT count(*) FROM messages") == 0)
        #expect(
            try scan.count(
                "SELECT count(*) FROM audit WHERE action = 'quarantine-release' AND target = ?",
                [
                    .text("quarantine:\(first)")
                ]) == 1)

        // --force files it without scanning.
        try Quarantine.releaseWithoutScan(
            second, in: instance, configuration: configuration, log: try AdminCommandFixture.context(configuration).log,
            actor: AdminCommandFixture.actor)
        #expect(try scan.count("SELECT count(*) FROM quarantine") == 0)
        #expect(try scan.count("SELECT count(*) FROM messages") == 1)
        #expect(try scan.run().status == 0)
        #expect(try scan.count("SELECT count(*) FROM messages") == 1)
    }

    @Test(
        "a release killed after its spool write is idempotent: rescanned, filed once or quarantined once",
        .timeLimit(.minutes(3)), .blocksThreads)
    func releaseKilledAfterSpool() throws {
        let (clamd, scan) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        // A clean message wrongly quarantined, and a really infected one.
        let clean = FilerHarness.mail(subject: "誤検知", messageID: "false-positive@example.jp")
        let instance = try scan.open()
        try instance.database.write { try Mailboxes.create("support", in: $0, now: 1) }
        let filer = Filer(database: instance.database, keys: instance.keys, log: Log(program: "madoguchi-test"))
        let envelope = SpoolEnvelope(intakeID: "support:x", mailbox: "support", source: "t", fetchedAt: 1, size: 0)
        guard case .quarantined(let cleanID) = try filer.quarantine(envelope: envelope, raw: clean, virus: "FP.Test")
        else { throw TestToolError("not quarantined") }
        try scan.enqueue(ClamdSamples.plainBody())
        #expect(try scan.run().status == 0)
        let infectedID = try scan.count("SELECT max(id) FROM quarantine")
        try #require(infectedID > cleanID)

        for id in [cleanID, infectedID] {
            let killed = try BuiltProgram.run(
                "madoguchi", ["--config", scan.layout.configurationFile, "quarantine", "release", String(id)],
                environment: [CrashPoint.environmentVariable: "after-release-spool"])
            #expect(killed.killed, "\(killed.output)")
        }
        // Both rows are still there, and both messages are in the spool.
        #expect(try scan.count("SELECT count(*) FROM quarantine") == 2)
        #expect(try scan.pending().count == 2)
        let (status, output) = try scan.run()
        #expect(status == 0, "\(output)")
        #expect(try scan.pending().isEmpty)
        // The clean one is filed once and out of quarantine; the infected one is quarantined once.
        #expect(try scan.count("SELECT count(*) FROM messages") == 1)
        #expect(try scan.count("SELECT count(*) FROM quarantine") == 1)
        #expect(try scan.count("SELECT id FROM quarantine") == infectedID)
        #expect(
            try scan.count(
                "SELECT count(*) FROM audit WHERE action = 'quarantine-release' AND target = ? AND detail = ?",
                [.text("quarantine:\(cleanID)"), .text(#"{"completed":1}"#)]) == 1)
        // Releasing again after the crash works as the first time would have.
        let again = try BuiltProgram.run(
            "madoguchi", ["--config", scan.layout.configurationFile, "quarantine", "release", String(infectedID)])
        #expect(again.status == 0, "\(again.output)")
        #expect(try scan.count("SELECT count(*) FROM quarantine") == 0)
        #expect(try scan.pending().count == 1)
    }

    @Test("release keeps the row when the spool file cannot be written")
    func releaseFailure() throws {
        let fixture = try AdminCommandFixture()
        let id = try quarantine(fixture)
        let incoming = fixture.layout.spoolDirectory + "/incoming"
        try FileManager.default.removeItem(atPath: incoming)
        #expect(throws: SystemError.self) { try fixture.quarantine(["release", String(id)]) }
        #expect(try count(fixture) == 1)
        #expect(try fixture.adminAudit().isEmpty)
    }

    @Test("delete removes the row with an audit entry; a second delete is refused")
    func delete() throws {
        let fixture = try AdminCommandFixture()
        let id = try quarantine(fixture)
        let (status, output, _) = try fixture.quarantine(["delete", String(id)])
        #expect(status == .ok)
        #expect(output == "quarantine \(id) deleted\n")
        #expect(try count(fixture) == 0)
        let rows = try fixture.adminAudit()
        #expect(rows.map { $0.string("action") } == ["quarantine-delete"])
        #expect(rows.first?.string("target") == "quarantine:\(id)")
        #expect(throws: QuarantineError.notFound(id: id)) { try fixture.quarantine(["delete", String(id)]) }
        #expect(try fixture.adminAudit().count == 1)
    }
}
