// scan-and-file end to end: the built executable on an instance made by `madoguchi
// init` code, spool files sealed exactly as the fetcher seals them, and a real clamd
// with a local EICAR signature: infected mail is quarantined and audited, never filed
// (A20); a stopped clamd files nothing and loses nothing (A24); SIGKILL at every
// filing step still gives each message exactly once (B7).

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import MadoguchiTestSupport
import Testing

/// A self-contained instance with a spool and the built scan-and-file executable.
final class ScanAndFileInstance {
    let directory: TemporaryDirectory
    let layout: InstanceLayout
    let spool: Spool
    private let publicKey: SpoolPublicKey
    private let baseConfiguration: String
    private var clock: Int64 = 1_780_000_000
    private let clamdDirectory: TemporaryDirectory?

    init(clamdAddress: String, clamdDirectory: TemporaryDirectory? = nil) throws {
        self.clamdDirectory = clamdDirectory
        directory = try TemporaryDirectory(prefix: "madoguchi-scan")
        layout = InstanceLayout(root: directory.file("instance"), workingDirectory: "/")
        try InstanceInitializer.create(layout)
        spool = Spool(directory: layout.spoolDirectory)
        publicKey = try SpoolPublicKey.load(path: layout.keyDirectory + "/" + SpoolPublicKey.fileName)
        baseConfiguration = try String(contentsOfFile: layout.configurationFile, encoding: .utf8)
        try setClamd(clamdAddress)
    }

    /// A running clamd (its files in the instance directory) and an instance using it.
    static func withClamd() throws -> (ClamdServer, ScanAndFileInstance) {
        let clamdDirectory = try TemporaryDirectory()
        let clamd = try ClamdServer.start(in: clamdDirectory)
        return (clamd, try ScanAndFileInstance(clamdAddress: clamd.address, clamdDirectory: clamdDirectory))
    }

    /// Points the instance at another clamd socket, with more configuration lines.
    func setClamd(_ address: String, extra: String = "") throws {
        try Data((baseConfiguration + "clamd_address = \(address)\nclamd_timeout = 20s\n" + extra).utf8).write(
            to: URL(fileURLWithPath: layout.configurationFile))
    }

    /// Seals a message into spool/incoming as fetch-forwarded-mail does.
    @discardableResult
    func enqueue(_ raw: [UInt8], mailbox: String = "support") throws -> SpoolEnvelope {
        clock += 1
        let envelope = SpoolEnvelope(mailbox: mailbox, source: "test:\(clock)", fetchedAt: clock, raw: raw)
        try spool.deliver(raw, envelope: envelope) { try SealedBox.seal($0, to: publicKey) }
        return envelope
    }

    /// Runs the executable; returns its exit status (minus the signal number when
    /// killed) and its output.
    func run(crashAt: String? = nil, arguments: [String] = []) throws -> (status: Int32, output: String) {
        let outcome = try BuiltProgram.run(
            "scan-and-file", arguments + ["--config", layout.configurationFile],
            environment: crashAt.map { [CrashPoint.environmentVariable: $0] } ?? [:])
        return (outcome.killed ? -outcome.status : outcome.status, outcome.output)
    }

    /// The instance database with its keys.
    func open() throws -> InstanceDatabase {
        try InstanceDatabase.open(configuration: try Configuration.load(path: layout.configurationFile))
    }

    func pending() throws -> [String] { try spool.pending() }

    func count(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int64 {
        let instance = try open()
        return try instance.database.read { try $0.rows(sql, arguments).first?[0].int64Value ?? -1 }
    }
}

@Suite(.timeLimit(.minutes(3)), .blocksThreads) struct ScanAndFileTests {
    @Test("EICAR in the body, an attachment, a zip and a forwarded message is quarantined and audited, never filed")
    func quarantinesInfected() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        let eicar = ClamdSamples.eicar
        let infected: [[UInt8]] = [
            ClamdSamples.plainBody(),
            ClamdSamples.attachment(eicar, filename: "invoice.com", contentType: "application/octet-stream"),
            ClamdSamples.attachment(
                try ClamdSamples.zip([("invoice.com", eicar)]), filename: "invoice.zip", contentType: "application/zip"),
            ClamdSamples.forwarded(
                ClamdSamples.attachment(eicar, filename: "invoice.com", contentType: "application/octet-stream")),
        ]
        for raw in infected { try instance.enqueue(raw) }
        let clean = try instance.enqueue(ClamdSamples.japaneseInquiry())
        let (status, output) = try instance.run()
        #expect(status == 0, "\(output)")
        #expect(try instance.pending().isEmpty)
        #expect(try instance.count("SELECT count(*) FROM quarantine") == 4)
        #expect(
            try instance.count(
                "SELECT count(*) FROM quarantine WHERE virus_name = ?", [.text(ClamdServer.eicarSignature)]) == 4)
        #expect(try instance.count("SELECT count(*) FROM messages") == 1)
        #expect(try instance.count("SELECT count(*) FROM messages WHERE intake_id = ?", [.text(clean.intakeID)]) == 1)
        #expect(
            try instance.count(
                "SELECT count(*) FROM audit WHERE action = 'quarantine' AND actor = 'system:scan-and-file'") == 4)
        let audited = try instance.open().database.read {
            try $0.rows("SELECT target, detail FROM audit WHERE action = 'quarantine' ORDER BY seq")
        }
        let ids = try instance.open().database.read {
            try $0.rows("SELECT id FROM quarantine ORDER BY id").compactMap { $0.int64("id") }
        }
        #expect(audited.map { $0.string("target") } == ids.map { "quarantine:\($0)" })
        #expect(audited.allSatisfy { $0.string("detail")?.contains(ClamdServer.eicarSignature) == true })
        // The raw message and metadata are sealed and readable by the instance key.
        let instanceDB = try instance.open()
        let first = try #require(ids.first)
        let row = try #require(
            try instanceDB.database.read {
                try $0.fetch("quarantine", id: first, columns: ["raw_enc", "metadata_enc"])
            })
        #expect(infected.contains(try #require(row.blob("raw_enc"))))
        #expect(row.string("metadata_enc")?.contains("\"from\":\"customer@example.net\"") == true)
        // Logs name no subject or address.
        #expect(!output.contains("customer@example.net") && !output.contains("見積書"))
        let job = try #require(try JobRun.latest(program: "scan-and-file", connection: instanceDB.database.connection))
        #expect(job.outcome == .ok && job.counts["quarantined"] == 4 && job.counts["filed"] == 1)
    }

    @Test("mail is searchable whether its tokens were made on the scanning threads or, for a new mailbox, in the filer")
    func searchable() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        // First run: "support" does not exist yet, so the filer makes the tokens.
        let first = try instance.enqueue(FilerHarness.mail(subject: "請求書の見積", messageID: "a@example.jp"))
        #expect(try instance.run().status == 0)
        // Second run: "support" is known (tokens from the scanning threads), "sales" is new.
        let known = try instance.enqueue(FilerHarness.mail(subject: "請求書の宛名", messageID: "b@example.jp"))
        let new = try instance.enqueue(
            FilerHarness.mail(subject: "請求書の金額", messageID: "c@example.jp"), mailbox: "sales")
        let (status, output) = try instance.run()
        #expect(status == 0, "\(output)")
        let database = try instance.open()
        func id(_ envelope: SpoolEnvelope) throws -> Int64 {
            try #require(
                try database.database.read {
                    try $0.rows("SELECT id FROM messages WHERE intake_id = ?", [.text(envelope.intakeID)]).first?
                        .int64("id")
                })
        }
        let index = SearchIndex(keys: database.keys)
        func search(_ query: String) throws -> [Int64] {
            try database.database.read { try index.search(query, candidateLimit: 100, in: $0).messageIDs }
        }
        #expect(try search("請求書") == [try id(new), try id(known), try id(first)].sorted(by: >))
        #expect(try search("見積") == [try id(first)])
        #expect(try search("宛名") == [try id(known)])
        #expect(try search("金額") == [try id(new)])
        try database.database.connection.execute(
            "INSERT INTO message_search (message_search) VALUES ('integrity-check')")
    }

    @Test("a reply chain spanning several windows (scanned ahead, out of order) is filed in spool order: one inquiry")
    func ordered() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        let count = 3 * 32 + 5
        for index in 0..<count {
            let envelope = try instance.enqueue(
                FilerHarness.mail(
                    subject: "Re: 請求書", messageID: "chain-\(index)@example.jp",
                    inReplyTo: index > 0 ? "chain-\(index - 1)@example.jp" : nil))
            // Spool order is modification time (seconds), then name: one second apart.
            let path = instance.spool.incomingDirectory + "/" + Spool.fileName(for: envelope)
            var times = [
                timespec(tv_sec: 1_780_000_000 + index, tv_nsec: 0),
                timespec(tv_sec: 1_780_000_000 + index, tv_nsec: 0),
            ]
            try #require(utimensat(AT_FDCWD, path, &times, 0) == 0)
        }
        try instance.setClamd(clamd.address, extra: "clamd_concurrency = 4\n")
        let (status, output) = try instance.run()
        #expect(status == 0, "\(output)")
        #expect(try instance.pending().isEmpty)
        #expect(try instance.count("SELECT count(*) FROM messages") == Int64(count))
        // Each reply finds its parent only if the parent was filed before it.
        #expect(try instance.count("SELECT count(DISTINCT inquiry_id) FROM messages") == 1)
    }

    @Test("a message the database refuses does not block the others filed in the same window")
    func badMessageIsolated() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        for index in 0..<5 { try instance.enqueue(FilerHarness.mail(messageID: "good-\(index)@example.jp")) }
        // An 80-character mailbox name makes the intake id longer than the 128 the schema allows.
        try instance.enqueue(FilerHarness.mail(messageID: "bad@example.jp"), mailbox: String(repeating: "m", count: 80))
        let (status, output) = try instance.run()
        #expect(status == 70, "\(output)")
        #expect(try instance.count("SELECT count(*) FROM messages") == 5)
        #expect(try instance.pending().count == 1)
        let database = try instance.open().database
        let job = try #require(try JobRun.latest(program: "scan-and-file", connection: database.connection))
        #expect(job.outcome == .partial && job.counts["failed"] == 1 && job.counts["filed"] == 5)
    }

    @Test("a database held busy by another program: exit 75 and the spool untouched")
    func databaseBusy() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        try instance.setClamd(clamd.address, extra: "database_busy_timeout = 1s\n")
        try instance.enqueue(FilerHarness.mail(messageID: "busy@example.jp"))
        let blocker = try Connection(path: instance.layout.databaseFile)
        try blocker.execute("BEGIN IMMEDIATE")
        let (status, output) = try instance.run()
        try blocker.execute("ROLLBACK")
        #expect(status == 75, "\(output)")
        #expect(try instance.pending().count == 1)
        #expect(try instance.count("SELECT count(*) FROM messages") == 0)
        #expect(try instance.run().status == 0)
        #expect(try instance.pending().isEmpty)
    }

    @Test("clamd stopped: nothing filed, nothing lost, exit 75, job run tempfail; clamd back: everything filed (A24)")
    func clamdDown() throws {
        let clamdDirectory = try TemporaryDirectory()
        let clamd = try ClamdServer.start(in: clamdDirectory)
        let instance = try ScanAndFileInstance(clamdAddress: clamd.address)
        clamd.stop()
        for index in 0..<5 {
            try instance.enqueue(FilerHarness.mail(subject: "問い合わせ \(index)", messageID: "down-\(index)@example.jp"))
        }
        let started = Monotonic.now()
        let (status, output) = try instance.run()
        #expect(status == 75, "\(output)")
        #expect(Monotonic.now() - started < 10, "one connect failure must end the attempts")
        #expect(try instance.pending().count == 5)
        #expect(try instance.count("SELECT count(*) FROM messages") == 0)
        let database = try instance.open().database
        let job = try #require(try JobRun.latest(program: "scan-and-file", connection: database.connection))
        #expect(job.outcome == .tempFail && job.exitCode == 75 && job.counts["waiting"] == 5)
        #expect(job.message?.contains("clamd unreachable") == true)

        let againDirectory = try TemporaryDirectory()
        let again = try ClamdServer.start(in: againDirectory)
        defer { again.stop() }
        try instance.setClamd(again.tcpAddress)
        let (secondStatus, secondOutput) = try instance.run()
        #expect(secondStatus == 0, "\(secondOutput)")
        #expect(try instance.pending().isEmpty)
        #expect(try instance.count("SELECT count(*) FROM messages") == 5)
        let second = try #require(try JobRun.latest(program: "scan-and-file", connection: database.connection))
        #expect(second.outcome == .ok && second.counts["filed"] == 5)
    }

    @Test("a spool file that cannot be opened is moved to hold/ and the others are filed")
    func holdsUnreadable() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        try instance.enqueue(FilerHarness.mail(messageID: "ok-1@example.jp"))
        let bogus = instance.spool.incomingDirectory + "/0000000000000000000000000000000000000000.sealed"
        try Data("not a sealed box".utf8).write(to: URL(fileURLWithPath: bogus))
        try instance.enqueue(FilerHarness.mail(messageID: "ok-2@example.jp"))
        let (status, output) = try instance.run()
        #expect(status == 65, "\(output)")
        #expect(try instance.pending().isEmpty)
        #expect(
            FileManager.default.fileExists(
                atPath: instance.spool.holdDirectory + "/" + (bogus as NSString).lastPathComponent))
        #expect(try instance.count("SELECT count(*) FROM messages") == 2)
    }

    @Test("a message larger than clamd_max_stream_size waits with a clear log line")
    func tooLargeWaits() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        try instance.setClamd(clamd.address, extra: "clamd_max_stream_size = 1k\n")
        try instance.enqueue(FilerHarness.mail(body: String(repeating: "長い本文。", count: 200)))
        try instance.enqueue(FilerHarness.mail(body: "短い"))
        let (status, output) = try instance.run()
        #expect(status == 75)
        #expect(output.contains("clamd_max_stream_size") && output.contains("StreamMaxLength"), "\(output)")
        #expect(try instance.pending().count == 1)
        #expect(try instance.count("SELECT count(*) FROM messages") == 1)
    }

    @Test("B7: SIGKILL after the scan, during the commit and before the unlink never loses or doubles a message")
    func crashSafety() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        let total = 400
        var messageIDs: [String] = []
        var cleanIntakes: [String] = []
        var infectedIntakes: [String] = []
        for index in 0..<total {
            if index % 30 == 7 {
                infectedIntakes.append(
                    try instance.enqueue(
                        ClamdSamples.attachment(
                            ClamdSamples.eicar + Array("\(index)".utf8), filename: "x\(index).com",
                            contentType: "application/octet-stream")
                    ).intakeID)
                continue
            }
            let id = "crash-\(index)@example.jp"
            messageIDs.append(id)
            let raw = FilerHarness.mail(
                from: "customer\(index % 17)@example.jp", subject: "問い合わせ \(index)", messageID: id,
                inReplyTo: index > 20 ? "crash-\(index - 17)@example.jp" : nil)
            cleanIntakes.append(try instance.enqueue(raw).intakeID)
        }
        let started = Monotonic.now()
        var generator = SystemRandomNumberGenerator()
        var crashes = 0
        var points: [String: Int] = [:]
        for attempt in 0..<200 {
            let point = ["after-scan", "during-commit", "before-unlink"][attempt % 3]
            // during-commit is reached once per transaction (a window of up to 32 files),
            // the others once per message.
            let n = Int.random(in: point == "during-commit" ? 1...3 : 1...60, using: &generator)
            let (status, output) = try instance.run(crashAt: "\(point):\(n)")
            if status == 0 { break }
            #expect(status == -SIGKILL, "\(output)")
            crashes += 1
            points[point, default: 0] += 1
        }
        #expect(crashes >= 6 && points.count == 3, "crashes \(points)")
        #expect(try instance.run().status == 0)
        #expect(try instance.pending().isEmpty)
        #expect(Monotonic.now() - started < 120)

        let database = try instance.open()
        #expect(try instance.count("SELECT count(*) FROM messages") == Int64(cleanIntakes.count))
        #expect(try instance.count("SELECT count(*) FROM quarantine") == Int64(infectedIntakes.count))
        #expect(try instance.count("SELECT count(DISTINCT intake_id) FROM messages") == Int64(cleanIntakes.count))
        for intake in cleanIntakes {
            #expect(try instance.count("SELECT count(*) FROM messages WHERE intake_id = ?", [.text(intake)]) == 1)
        }
        for intake in infectedIntakes {
            #expect(try instance.count("SELECT count(*) FROM quarantine WHERE intake_id = ?", [.text(intake)]) == 1)
        }
        for id in messageIDs {
            let index = try #require(try Threading.messageIDIndex(id, keys: database.keys))
            #expect(try instance.count("SELECT count(*) FROM messages WHERE message_id_index = ?", [.blob(index)]) == 1)
        }
        // Threading survived the crashes: replies joined their customer's inquiries.
        #expect(try instance.count("SELECT count(*) FROM inquiries") < Int64(cleanIntakes.count))
    }
}
