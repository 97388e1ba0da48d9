// Mail intake end to end with every real part: Dovecot serves the forwarded mailbox
// over IMAPS, the built fetch-forwarded-mail seals it into the spool, the built
// scan-and-file scans with a real clamd and files it, and the built madoguchi lists,
// searches and shows the quarantine. Both programs are killed with SIGKILL at every
// crash point along the way (B7): afterwards each message exists exactly once in the
// database, and at no moment was a message gone from the server before it was safely
// in the spool or the database.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiPrograms
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.timeLimit(.minutes(5)), .blocksThreads) struct IntakeEndToEndTests {
    static let mailbox = "contact"
    static let fetchPoints = [
        "after-download", "before-rename", "after-link", "after-rename", "before-state-save", "before-delete",
        "before-expunge", "after-delete",
    ]
    static let filePoints = ["after-scan", "during-commit", "before-unlink"]

    /// A customer message with a unique sender, subject word and Message-ID.
    static func message(_ number: Int) -> [UInt8] {
        var text =
            "From: =?UTF-8?B?\(Data("顧客 \(number)".utf8).base64EncodedString())?= <customer\(number)@example.jp>\r\n"
        text += "To: contact@example.com\r\nSubject: 問い合わせ番号\(number)号について\r\n"
        text += "Message-ID: <m\(number).e2e@example.jp>\r\nDate: Sun, 29 Nov 2026 09:00:00 +0900\r\n"
        text += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
        text += "いつもお世話になっております。合言葉は「符丁\(String(number, radix: 36))丙」です。\r\n"
        for line in 0..<(number % 7) { text += "追記 \(line): 詳細をご確認ください。\r\n" }
        return Array(text.utf8)
    }

    @Test("fetch, scan and file 200 messages with SIGKILL at every step: each filed once, none lost")
    func intakeSurvivesKills() throws {
        let certificates = try TestCertificates()
        let dovecot = try DovecotServer(certificates: certificates)
        defer { dovecot.stop() }
        let clamdDirectory = try TemporaryDirectory()
        let clamd = try ClamdServer.start(in: clamdDirectory)
        defer { clamd.stop() }

        let directory = try TemporaryDirectory(prefix: "madoguchi-e2e")
        let root = directory.file("instance")
        let made = try BuiltProgram.run("madoguchi", ["init", "--dir", root])
        try #require(made.status == 0, "\(made.output)")
        let layout = InstanceLayout(root: root, workingDirectory: "/")
        let config = layout.configurationFile
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: config))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("clamd_address = \(clamd.address)\nfetch_max_messages = 10\n".utf8))
        try handle.close()
        let added = try BuiltProgram.run(
            "madoguchi",
            [
                "--config", config, "mailbox", "add", "--name", Self.mailbox, "--protocol", "imap", "--host",
                "localhost", "--port", "\(dovecot.port(.imap, .implicit))", "--tls", "implicit", "--user",
                dovecot.user, "--password-stdin", "--ca-file", certificates.caFile,
            ], input: dovecot.password + "\n")
        try #require(added.status == 0, "\(added.output)")

        // 200 clean messages and 2 infected ones; every one's intake ids are known up front:
        // the fetcher's (spool file names, its fetch key) and the database's (IntakeID).
        let identity = try FetchIdentityKey.load(path: layout.keyDirectory + "/" + FetchIdentityKey.fileName)
        let databaseKeys = try InstanceDatabase.open(configuration: try Configuration.load(path: config)).keys
        var nameByFetchID: [String: String] = [:]
        var nameByDatabaseID: [String: String] = [:]
        var cleanNames: Set<String> = []
        func expect(_ raw: [UInt8], name: String) throws {
            try dovecot.deliver(raw, name: name)
            nameByFetchID[try identity.intakeID(mailbox: Self.mailbox, raw: raw)] = name
            nameByDatabaseID[try IntakeID.of(raw, mailbox: Self.mailbox, keys: databaseKeys)] = name
        }
        for number in 1...200 {
            let name = "\(1_780_000_000 + number).M\(number)P1.e2e"
            try expect(Self.message(number), name: name)
            cleanNames.insert(name)
        }
        for (index, raw) in [ClamdSamples.plainBody(), ClamdSamples.forwarded(ClamdSamples.plainBody())].enumerated() {
            try expect(raw, name: "\(1_790_000_000 + index).V\(index)P1.e2e")
        }
        let allNames = Set(nameByFetchID.values)
        let spoolKeys = try SpoolKeyPair.load(privateKeyPath: layout.keyDirectory + "/" + SpoolKeyPair.fileName)
        let spool = Spool(directory: layout.spoolDirectory)

        /// Every message must be on the server, in the spool, filed or quarantined.
        func checkNothingLost(after step: String) throws {
            let onServer = Set(try dovecot.storedMessages().map { String($0.prefix { $0 != ":" }) })
            var spooled: Set<String> = []
            for name in try spool.pending() {
                let (envelope, _) = try spool.read(name, limit: 1 << 24) { try SealedBox.open($0, with: spoolKeys) }
                if let name = nameByFetchID[envelope.intakeID] { spooled.insert(name) }
            }
            let stored = try InstanceDatabase.open(configuration: try Configuration.load(path: config)).database.read {
                tx in
                Set(
                    try tx.rows("SELECT intake_id FROM messages UNION ALL SELECT intake_id FROM quarantine")
                        .compactMap { $0.string("intake_id").flatMap { nameByDatabaseID[$0] } })
            }
            let missing = allNames.subtracting(onServer).subtracting(spooled).subtracting(stored)
            #expect(missing.isEmpty, "\(missing.count) messages lost after \(step)")
        }

        // Rounds of killed runs (the fetcher takes at most 10 messages a run, so the
        // server still holds mail for many rounds): the fetcher at each of its points,
        // the filer at each of its, at varying message counts.
        var kills: [String: Int] = [:]
        for round in 0..<32 {
            let fetchPoint = Self.fetchPoints[round % Self.fetchPoints.count]
            // The state, delete and expunge points are reached once per run, the others once per message.
            let once = ["before-state-save", "before-delete", "before-expunge", "after-delete"].contains(fetchPoint)
            let fetchCount = once ? 1 : 1 + (round * 7) % 9
            let fetched = try BuiltProgram.run(
                "fetch-forwarded-mail", ["--config", config],
                environment: [CrashPoint.environmentVariable: "\(fetchPoint):\(fetchCount)"])
            #expect(fetched.killed || [0, 75].contains(fetched.status), "\(fetched.output)")
            if fetched.killed { kills[fetchPoint, default: 0] += 1 }
            try checkNothingLost(after: "fetcher killed at \(fetchPoint)")

            let filePoint = Self.filePoints[round % Self.filePoints.count]
            let count = filePoint == "during-commit" ? 1 : 1 + (round * 5) % 20
            let filed = try BuiltProgram.run(
                "scan-and-file", ["--config", config],
                environment: [CrashPoint.environmentVariable: "\(filePoint):\(count)"])
            #expect(filed.killed || [0, 75].contains(filed.status), "\(filed.output)")
            if filed.killed { kills[filePoint, default: 0] += 1 }
            try checkNothingLost(after: "filer killed at \(filePoint)")
        }
        for point in Self.fetchPoints + Self.filePoints {
            #expect(kills[point, default: 0] >= 2, "crash point \(point) was killed \(kills[point, default: 0]) times")
        }

        // Clean runs until the server and the spool are empty.
        for _ in 0..<12 {
            let fetched = try BuiltProgram.run("fetch-forwarded-mail", ["--config", config])
            #expect(fetched.status == 0, "\(fetched.output)")
            let filed = try BuiltProgram.run("scan-and-file", ["--config", config])
            #expect(filed.status == 0, "\(filed.output)")
            if try dovecot.storedMessages().isEmpty && spool.pending().isEmpty { break }
        }
        #expect(try dovecot.storedMessages().isEmpty)
        #expect(try spool.pending().isEmpty)

        let instance = try InstanceDatabase.open(configuration: try Configuration.load(path: config))
        let (messages, distinct, filedIDs, quarantined) = try instance.database.read { tx in
            (
                try tx.rows("SELECT count(*) FROM messages").first?[0].int64Value,
                try tx.rows("SELECT count(DISTINCT intake_id) FROM messages").first?[0].int64Value,
                Set(
                    try tx.rows("SELECT intake_id FROM messages").compactMap {
                        $0.string("intake_id").flatMap { nameByDatabaseID[$0] }
                    }),
                try tx.rows("SELECT count(*) FROM quarantine").first?[0].int64Value
            )
        }
        #expect(messages == 200)
        #expect(distinct == 200)
        #expect(filedIDs == cleanNames)
        #expect(quarantined == 2)

        // The admin commands see the same: 200 inquiries, one search hit, two quarantined.
        let listed = try BuiltProgram.run("madoguchi", ["--config", config, "list", "--json"])
        #expect(listed.status == 0)
        let objects = try listed.output.split(separator: "\n").filter { $0.hasPrefix("{") }.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == 200)
        #expect(objects.allSatisfy { $0["mailbox"] as? String == Self.mailbox && $0["messages"] as? Int == 1 })
        let word = "符丁" + String(137, radix: 36) + "丙"
        let searched = try BuiltProgram.run("madoguchi", ["--config", config, "search", "--json", word])
        #expect(searched.status == 0, "\(searched.output)")
        let hits = searched.output.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(hits.count == 1)
        #expect(hits.first?.contains("問い合わせ番号137号について") == true)
        let quarantine = try BuiltProgram.run("madoguchi", ["--config", config, "quarantine", "list", "--json"])
        #expect(quarantine.output.split(separator: "\n").filter { $0.hasPrefix("{") }.count == 2)
    }
}
