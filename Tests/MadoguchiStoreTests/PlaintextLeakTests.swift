// The key confidentiality test: after filing a message with known Japanese and
// ASCII content, neither the database file nor its -wal (nor -shm) contains any of
// that content in UTF-8, UTF-16, ISO-2022-JP, Shift_JIS/CP932 or EUC-JP, nor in the
// base64 or quoted-printable form of any of those — with and without checkpoints.

import Foundation
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct PlaintextLeakTests {
    private static func bytes(of path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("the scanner really detects each encoding it searches for")
    func scannerSeesEveryEncoding() throws {
        let text = "請求書の再発行をお願いします Invoice"
        let needles = PlaintextScanner.needles(for: text, label: "t")
        func embedded(_ payload: [UInt8]) -> [UInt8] { Array("xx<".utf8) + payload + Array(">yy".utf8) }
        let sjis = try #require(PlaintextScanner.encode(text, charset: "CP932"))
        let jis = try #require(PlaintextScanner.encode(text, charset: "ISO-2022-JP"))
        let eucjp = try #require(PlaintextScanner.encode(text, charset: "EUC-JP"))
        let utf16 = try #require(PlaintextScanner.encode(text, charset: "UTF-16LE"))
        #expect(sjis != jis && jis != eucjp && eucjp != Array(text.utf8))
        let cases: [(String, [UInt8])] = [
            ("UTF-8", Array(text.utf8)),
            ("CP932", sjis),
            ("EUC-JP", eucjp),
            ("UTF-16LE", utf16),
            ("ISO-2022-JP inside longer JIS text", Array(jis.dropFirst(3).dropLast(3))),
            ("base64 of ISO-2022-JP after 1 byte", Array(Data([0x41] + jis + [0x42]).base64EncodedString().utf8)),
            ("base64 of UTF-8 after 2 bytes", Array(Data([1, 2] + Array(text.utf8)).base64EncodedString().utf8)),
            ("quoted-printable of Shift_JIS", PlaintextScanner.quotedPrintableForTesting(sjis)),
        ]
        for (name, payload) in cases {
            #expect(!PlaintextScanner.findings(in: embedded(payload), needles: needles).isEmpty, "\(name)")
        }
        let noise = (0..<(256 * 1024)).map { _ in UInt8.random(in: 0...255) }
        #expect(PlaintextScanner.findings(in: noise, needles: needles).isEmpty)
    }

    @Test("database, -wal and -shm hold none of a message's strings in any encoding, checkpointed or not")
    func noPlaintextOnDisk() throws {
        let temp = try TemporaryDatabase()
        let sample = SampleMail()
        var needles: [PlaintextScanner.Needle] = []
        for (label, text) in sample.secrets {
            needles += PlaintextScanner.needles(for: text, label: label)
        }
        #expect(needles.count > 100)
        let control = PlaintextScanner.needles(for: sample.mailboxName, label: "mailbox_name")
            .filter { $0.label == "mailbox_name/UTF-8" }
        let files = [temp.path, temp.path + "-wal", temp.path + "-shm"]

        func scan(_ phase: String, expectWAL: Bool) throws {
            var all: [UInt8] = []
            for file in files { all += try Self.bytes(of: file) }
            if expectWAL { #expect(try Self.bytes(of: temp.path + "-wal").count > 0, "\(phase): WAL in use") }
            // Positive control: clear metadata written in the same transaction is visible.
            #expect(!PlaintextScanner.findings(in: all, needles: control).isEmpty, "\(phase): control found")
            for file in files {
                let found = PlaintextScanner.findings(in: try Self.bytes(of: file), needles: needles)
                #expect(found.isEmpty, "\(phase): \((file as NSString).lastPathComponent) leaks \(found)")
            }
        }

        do {
            let database = try temp.open()
            let filed = try database.fileSample(sample)
            var second = sample
            second.subject = "Re: " + sample.subject
            try database.fileSample(second, intakeID: "intake-0002")
            // Rewrite and delete too, so old page versions end up in the WAL.
            try database.write { tx in
                var values = RowValues()
                values.seal("text_body_enc", sample.textBody + " 追伸")
                try tx.update("messages", id: filed.messageID, values)
                try tx.run("DELETE FROM attachments WHERE id = ?", [.integer(filed.attachmentID)])
            }
            try scan("before checkpoint", expectWAL: true)

            let checkpoint = try database.connection.rows("PRAGMA wal_checkpoint(FULL)")
            #expect(checkpoint.first?.int64("busy") == 0)
            try scan("after checkpoint", expectWAL: true)
        }
        // Closing the last connection checkpoints and removes the WAL.
        try scan("after close", expectWAL: false)
        #expect(!FileManager.default.fileExists(atPath: temp.path + "-wal"))

        // Negative control: the same scan does flag the subject once it is stored in clear.
        let database = try temp.open()
        try database.connection.write { db in
            try db.run("INSERT INTO settings (name, value, updated_at) VALUES ('probe', ?, 1)", [.text(sample.subject)])
        }
        var all: [UInt8] = []
        for file in files { all += try Self.bytes(of: file) }
        #expect(PlaintextScanner.findings(in: all, needles: needles).contains("subject/UTF-8"))
    }
}
