// InquirySummary: one inquiry as `madoguchi list` and `madoguchi search` print it —
// id, status, decrypted subject, first received time, message count, customer
// pseudonym and mailbox name — loaded newest activity first.
// SECURITY: the subject is customer text (escape it for terminals); the customer is
// shown only by pseudonym, never by address.

import MadoguchiCore
import MadoguchiMail
import MadoguchiStore

/// One line of `madoguchi list` / `madoguchi search`.
public struct InquirySummary: Sendable, Equatable {
    /// The statuses an inquiry can have (the schema's CHECK constraint).
    public static let statuses = ["new", "in_progress", "awaiting_approval", "done", "trash"]

    /// `inquiries.id`.
    public var id: Int64
    /// `new`, `in_progress`, `awaiting_approval`, `done` or `trash`.
    public var status: String
    /// The decrypted subject (nil if none was stored).
    public var subject: String?
    /// ISO 8601 UTC time the first message was received, e.g. `2026-11-29T09:00:00Z`.
    public var received: String
    /// Number of messages (incoming and sent) in the inquiry.
    public var messages: Int
    /// The customer's pseudonym (nil if the sender had no usable address).
    public var customer: String?
    /// The mailbox name.
    public var mailbox: String

    /// Creates a summary.
    public init(
        id: Int64, status: String, subject: String?, received: String, messages: Int, customer: String?,
        mailbox: String
    ) {
        self.id = id
        self.status = status
        self.subject = subject
        self.received = received
        self.messages = messages
        self.customer = customer
        self.mailbox = mailbox
    }

    /// Loads inquiries, newest activity (`last_message_at`) first.
    /// - Parameters:
    ///   - status: only inquiries with this status.
    ///   - mailboxID: only inquiries of this mailbox.
    ///   - ids: only these inquiries (nil for all).
    ///   - tx: a read or write transaction.
    /// - Throws: `StoreError`, `CryptoError` (a subject that does not decrypt).
    public static func load(
        status: String? = nil, mailboxID: Int64? = nil, ids: [Int64]? = nil, in tx: DatabaseTransaction
    ) throws -> [InquirySummary] {
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        if let status {
            conditions.append("i.status = ?")
            arguments.append(.text(status))
        }
        if let mailboxID {
            conditions.append("i.mailbox_id = ?")
            arguments.append(.integer(mailboxID))
        }
        if let ids {
            if ids.isEmpty { return [] }
            // One statement text for any number of ids (the statement cache is keyed by text).
            conditions.append("i.id IN (SELECT value FROM json_each(?))")
            arguments.append(.idList(ids))
        }
        let sql = """
            SELECT i.id, i.status, i.subject_enc, i.created_at, mb.name AS mailbox, c.pseudonym,
                   (SELECT min(m.received_at) || ' ' || count(*) FROM messages m WHERE m.inquiry_id = i.id) AS stats
            FROM inquiries i
            JOIN mailboxes mb ON mb.id = i.mailbox_id
            LEFT JOIN customers c ON c.id = i.customer_id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY i.last_message_at DESC, i.id DESC
            """
        // Read through the statement by column index: materializing a `Row` per inquiry
        // cost as much as decrypting its subject (search loads up to thousands).
        let statement = try tx.statement(sql)
        try statement.bind(arguments)
        var summaries: [InquirySummary] = []
        try statement.forEachRow { row in
            let id = row.int64(at: 0)
            // "first received_at, message count" from one index range scan per inquiry.
            let stats = (row.string(at: 6) ?? "").split(separator: " ").map { Int64($0) }
            let received = (stats.first ?? nil) ?? (row.isNull(at: 3) ? 0 : row.int64(at: 3))
            let count = stats.count == 2 ? stats[1] ?? 0 : 0
            summaries.append(
                InquirySummary(
                    id: id, status: row.string(at: 1) ?? "",
                    subject: try tx.openString(row.value(at: 2), table: "inquiries", column: "subject_enc", row: id),
                    received: MailDate.iso8601(received), messages: Int(count),
                    customer: row.string(at: 5), mailbox: row.string(at: 4) ?? ""))
        }
        return summaries
    }

    /// The id of the mailbox called `name`.
    /// - Throws: `InquiryError.unknownMailbox` if there is none, `StoreError`.
    public static func mailboxID(named name: String, in tx: DatabaseTransaction) throws -> Int64 {
        guard let id = try tx.rows("SELECT id FROM mailboxes WHERE name = ?", [.text(name)]).first?.int64("id")
        else { throw InquiryError.unknownMailbox(name) }
        return id
    }
}
