// Filer+Fixture (FilerHarness): a database with a real key ring and a Filer on it, and a small
// RFC 5322 message builder, for the filing, search and admin-command tests.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import Testing

/// A database with a real key ring and a Filer on it.
public final class FilerHarness {
    public let temp: TemporaryDatabase
    public let keys: KeyRing
    public let database: Database
    public let filer: Filer
    private var clock: Int64 = 1_780_000_000

    public init(limits: MailLimits = .standard) throws {
        temp = try TemporaryDatabase()
        let master = try MasterKey.generate()
        keys = try KeyRing(
            wrappedKeys: [1: try KeyRing.newDataKey(id: 1, master: master)], currentKeyID: 1, master: master)
        database = try temp.open(cipher: keys.fieldCipher)
        filer = Filer(database: database, keys: keys, log: Log(program: "filer-test"), limits: limits)
        // The mailboxes the tests file into, as `madoguchi mailbox add` would make them.
        for mailbox in ["support", "sales"] { try addMailbox(mailbox) }
    }

    /// Files raw bytes as if fetched from `mailbox` one minute after the previous message.
    @discardableResult
    public func file(_ raw: [UInt8], mailbox: String = "support") throws -> FilingResult {
        clock += 60
        try addMailbox(mailbox)
        // Any name-giving id: the filer files by the id it computes from the bytes.
        let envelope = SpoolEnvelope(
            intakeID: "\(mailbox):test-\(clock)", mailbox: mailbox, source: "test", fetchedAt: clock, size: raw.count)
        return try filer.file(envelope: envelope, raw: raw, now: Date(timeIntervalSince1970: Double(clock)))
    }

    /// Adds `mailbox` to the database as `madoguchi mailbox add` does (no-op if it exists).
    /// - Throws: `StoreError`.
    public func addMailbox(_ mailbox: String) throws {
        try database.write { try Mailboxes.create(mailbox, in: $0, now: clock) }
    }

    /// Files and returns (inquiry id, message id) of a message that must be filed.
    public func filed(_ raw: [UInt8], mailbox: String = "support") throws -> (inquiry: Int64, message: Int64) {
        switch try file(raw, mailbox: mailbox) {
        case .filed(let inquiry, let message): return (inquiry, message)
        case let other:
            Issue.record("expected filed, got \(other)")
            throw CancellationError()
        }
    }

    public func count(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int64 {
        try database.read { try $0.rows(sql, arguments).first?[0].int64Value ?? -1 }
    }

    public func value(_ table: String, _ id: Int64, _ column: String) throws -> SQLValue {
        try database.read { try $0.fetch(table, id: id, columns: [column])?[column] ?? .null }
    }

    public func text(_ table: String, _ id: Int64, _ column: String) throws -> String? {
        switch try value(table, id, column) {
        case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        case .text(let text): text
        default: nil
        }
    }

    /// A small RFC 5322 message.
    public static func mail(
        from: String = "Yamada Taro <taro@example.jp>", subject: String = "請求書について", messageID: String? = nil,
        inReplyTo: String? = nil, references: [String] = [], headers: [String] = [],
        body: String = "請求書の再発行をお願いします。"
    ) -> [UInt8] {
        var lines = ["From: \(from)", "To: support@example.com", "Subject: \(subject)"]
        lines.append("Message-ID: <\(messageID ?? UUID().uuidString + "@example.jp")>")
        if let inReplyTo { lines.append("In-Reply-To: <\(inReplyTo)>") }
        if !references.isEmpty { lines.append("References: " + references.map { "<\($0)>" }.joined(separator: " ")) }
        lines += headers
        lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit"]
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n").utf8)
    }
}
