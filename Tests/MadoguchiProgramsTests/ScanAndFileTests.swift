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
import MadoguchiPrograms
import MadoguchiStore
import MadoguchiTestSupport
import Testing

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
        #expect(
            try instance.count("SELECT count(*) FROM messages WHERE intake_id = ?", [.text(instance.filedID(clean))])
                == 1)
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
                    try $0.rows("SELECT id FROM messages WHERE intake_id = ?", [.text(instance.filedID(envelope))])
                        .first?
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

    @Test("a poison message that kills scan-and-file every time is held after 3 attempts; the others are filed")
    func poison() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        for index in 0..<40 {
            let body = index == 17 ? "POISON-MARK-42 ここで落ちる" : "ふつうの本文 \(index)"
            try instance.enqueue(
                FilerHarness.mail(subject: "件名 \(index)", messageID: "p-\(index)@example.jp", body: body))
        }
        try instance.setClamd(clamd.address, extra: "clamd_concurrency = 4\n")
        let poison = [CrashPoint.poisonVariable: "POISON-MARK-42"]
        var runs = 0
        var last: (status: Int32, output: String) = (0, "")
        while runs < 6 {
            runs += 1
            last = try instance.run(environment: poison)
            if last.status >= 0 { break }
            #expect(last.status == -SIGKILL, "\(last.output)")
        }
        // Killed on the first three attempts, held on the fourth run, which goes on with the rest.
        #expect(runs == 4, "\(last.output)")
        #expect(last.status == 65, "\(last.output)")
        #expect(last.output.contains("died 3 times while parsing it"), "\(last.output)")
        #expect(try instance.count("SELECT count(*) FROM messages") == 39)
        #expect(try instance.pending().isEmpty)
        let held = try FileManager.default.contentsOfDirectory(atPath: instance.spool.holdDirectory)
        #expect(held.count == 1)
        let attempts = try FileManager.default.contentsOfDirectory(atPath: instance.spool.directory + "/attempts")
        #expect(attempts.isEmpty)
    }

    @Test("a reply chain spooled within one second is filed in the order it was spooled: one inquiry")
    func sameSecond() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        for index in 0..<40 {
            try instance.enqueue(
                FilerHarness.mail(
                    subject: "Re: 見積", messageID: "fast-\(index)@example.jp",
                    inReplyTo: index > 0 ? "fast-\(index - 1)@example.jp" : nil))
        }
        let (status, output) = try instance.run()
        #expect(status == 0, "\(output)")
        #expect(try instance.count("SELECT count(*) FROM messages") == 40)
        #expect(try instance.count("SELECT count(DISTINCT inquiry_id) FROM messages") == 1)
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
            // Spool order is the modification time the writer stamps: here one second apart.
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

    @Test(
        "a planted envelope cannot make new mail a duplicate, nor file into a mailbox nobody added (held with the reason)"
    )
    func plantedEnvelopes() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        let first = try instance.enqueue(FilerHarness.mail(subject: "最初", messageID: "first@example.jp"))
        #expect(try instance.run().status == 0)
        // Another message under the filed one's intake id (and a lying size): filed all the same.
        let other = FilerHarness.mail(subject: "別件", messageID: "other@example.jp")
        try instance.plant(
            other,
            envelope: SpoolEnvelope(
                intakeID: first.intakeID + "x", mailbox: "support", source: "pop3:x", fetchedAt: 1, size: 1))
        try instance.plant(
            other,
            envelope: SpoolEnvelope(
                intakeID: first.intakeID, mailbox: "support", source: "pop3:y", fetchedAt: 2, size: 3))
        // A mailbox the database does not have: held, no row made.
        let stray = FilerHarness.mail(subject: "迷子", messageID: "stray@example.jp")
        try instance.enqueue(stray, mailbox: "nosuch", addMailbox: false)
        let (status, output) = try instance.run()
        #expect(status == 65, "\(output)")
        #expect(output.contains("mailbox nosuch is not in the database") && output.contains("moved to hold/"))
        #expect(try instance.count("SELECT count(*) FROM messages") == 2)
        #expect(try instance.count("SELECT size FROM messages ORDER BY id DESC LIMIT 1") == Int64(other.count))
        #expect(try instance.count("SELECT count(*) FROM mailboxes WHERE name = 'nosuch'") == 0)
        #expect(try instance.pending().isEmpty)
        let held = try FileManager.default.contentsOfDirectory(atPath: instance.spool.holdDirectory)
        #expect(held.count == 1)
    }

    @Test("intake ids are keyed: no spool name and no database id is a plain hash of the message")
    func keyedIntakeIDs() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        let raw = FilerHarness.mail(subject: "鍵", messageID: "keyed@example.jp")
        let envelope = try instance.enqueue(raw)
        #expect(try instance.run().status == 0)
        let plain = Hex.encode(SHA256Hasher.hash(raw))
        let plainWithMailbox = Hex.encode(SHA256Hasher.hash(Array(("support:" + plain).utf8)))
        #expect(!envelope.intakeID.contains(plain))
        let stored = try instance.open().database.read {
            try $0.rows("SELECT intake_id FROM messages").compactMap { $0.string("intake_id") }
        }
        #expect(stored.count == 1 && stored[0] == instance.filedID(envelope))
        #expect(!stored[0].contains(plain) && stored[0] != envelope.intakeID)
        // Spool file names derive from the keyed id only.
        #expect(Spool.fileName(for: envelope) != String(plainWithMailbox.prefix(40)) + ".sealed")
    }

    @Test("a message the database refuses does not block the others filed in the same window")
    func badMessageIsolated() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        for index in 0..<5 { try instance.enqueue(FilerHarness.mail(messageID: "good-\(index)@example.jp")) }
        // A trigger (added behind the program's back, with Python's sqlite3) refuses every
        // message of one mailbox.
        try instance.enqueue(FilerHarness.mail(messageID: "bad@example.jp"), mailbox: "refused")
        let trigger = try ChildProcess.run(
            "/usr/bin/python3",
            [
                "-c",
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"CREATE TRIGGER refuse BEFORE INSERT "
                    + "ON messages WHEN NEW.mailbox_id = (SELECT id FROM mailboxes WHERE name = 'refused') BEGIN "
                    + "SELECT RAISE(ABORT, 'refused by the test'); END\"); c.commit()",
                instance.layout.databaseFile,
            ])
        try #require(trigger.status == 0 && !trigger.killed, "\(trigger.output)")
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

    @Test("S1: a FIFO, symbolic links, a directory and an oversize file in incoming/ are held; the rest is filed")
    func holdsHostileEntries() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        try instance.setClamd(clamd.address, extra: "mail_max_message_size = 1M\n")
        try instance.enqueue(FilerHarness.mail(messageID: "before@example.jp"))
        // A valid sealed message outside incoming/, for a symbolic link to point at.
        let elsewhere = try instance.enqueue(FilerHarness.mail(messageID: "elsewhere@example.jp"))
        let outside = instance.directory.file("elsewhere.sealed")
        try #require(rename(instance.spool.incomingDirectory + "/" + Spool.fileName(for: elsewhere), outside) == 0)
        let incoming = instance.spool.incomingDirectory + "/"
        let fifo = "fifo.sealed"
        let zero = "zero.sealed"
        let link = "link.sealed"
        // A name that would forge a log line if it were logged unescaped.
        let directory = "x\nscan-and-file[1]: info: all clean.sealed"
        let large = "large.sealed"
        try #require(mkfifo(incoming + fifo, 0o640) == 0)
        try #require(symlink("/dev/zero", incoming + zero) == 0)
        try #require(symlink(outside, incoming + link) == 0)
        try #require(mkdir(incoming + directory, 0o750) == 0)
        let fd = open(incoming + large, O_WRONLY | O_CREAT | O_EXCL, 0o640)
        try #require(fd >= 0)
        try #require(ftruncate(fd, 8 << 20) == 0)
        close(fd)
        try instance.enqueue(FilerHarness.mail(messageID: "after@example.jp"))

        let (status, output) = try instance.run(timeLimit: 60)
        #expect(status == 65, "\(output)")
        #expect(try instance.pending().isEmpty, "\(output)")
        let held = try FileManager.default.contentsOfDirectory(atPath: instance.spool.holdDirectory).sorted()
        #expect(held == [fifo, large, link, directory, zero].sorted())
        for (name, reason) in [
            (fifo, "FIFO"), (zero, "symbolic link"), (link, "symbolic link"), (Log.escape(directory), "directory"),
            (large, "larger than"),
        ] {
            #expect(
                output.contains("spool file \(name) is a \(reason)")
                    || output.contains("spool file \(name) is \(reason)"), "\(name): \(output)")
        }
        #expect(!output.contains("\nscan-and-file[1]: info: all clean"))
        // The symbolic link was moved, not followed: its target is untouched.
        #expect(FileManager.default.fileExists(atPath: outside))
        #expect(try instance.count("SELECT count(*) FROM messages") == 2)
        #expect(
            try instance.count("SELECT count(*) FROM messages WHERE intake_id = ?", [.text(elsewhere.intakeID)]) == 0)
        let database = try instance.open().database
        let job = try #require(try JobRun.latest(program: "scan-and-file", connection: database.connection))
        #expect(job.counts["held"] == 5 && job.counts["filed"] == 2)
        #expect(job.message?.contains("not regular files") == true, "\(job.message ?? "")")
    }

    @Test("A22: decompression bombs are quarantined, never filed; the clean inquiry beside them is filed")
    func quarantinesBombs() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        // clamd's MaxScanTime (30 s) must end a slow scan before clamd_timeout does.
        try instance.setClamd(clamd.address, timeout: "60s")
        var intakes: [String: ZipBomb] = [:]
        for bomb in ZipBomb.allCases { intakes[instance.filedID(try instance.enqueue(try bomb.message()))] = bomb }
        let clean = try instance.enqueue(ClamdSamples.japaneseInquiry())
        let (status, output) = try instance.run()
        #expect(status == 0, "\(output)")
        #expect(try instance.pending().isEmpty)
        #expect(try instance.count("SELECT count(*) FROM messages") == 1)
        #expect(
            try instance.count("SELECT count(*) FROM messages WHERE intake_id = ?", [.text(instance.filedID(clean))])
                == 1)
        let quarantined = try instance.open().database.read {
            try $0.rows("SELECT intake_id, virus_name FROM quarantine")
        }
        #expect(quarantined.count == ZipBomb.allCases.count)
        for row in quarantined {
            let bomb = try #require(intakes[row.string("intake_id") ?? ""])
            #expect(bomb.isExpected(row.string("virus_name") ?? ""), "\(bomb): \(row)")
        }
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
                let infected = try instance.enqueue(
                    ClamdSamples.attachment(
                        ClamdSamples.eicar + Array("\(index)".utf8), filename: "x\(index).com",
                        contentType: "application/octet-stream"))
                infectedIntakes.append(instance.filedID(infected))
                continue
            }
            let id = "crash-\(index)@example.jp"
            messageIDs.append(id)
            let raw = FilerHarness.mail(
                from: "customer\(index % 17)@example.jp", subject: "問い合わせ \(index)", messageID: id,
                inReplyTo: index > 20 ? "crash-\(index - 17)@example.jp" : nil)
            cleanIntakes.append(instance.filedID(try instance.enqueue(raw)))
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
