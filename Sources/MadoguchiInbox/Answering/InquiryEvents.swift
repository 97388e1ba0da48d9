// InquiryEvents: appends to and reads an inquiry's timeline (`inquiry_events`), inside the
// caller's transaction — the one of the change the event records, which also writes
// the change's audit entry.
// SECURITY: `detail` is clear metadata (ids, states, reasons — canonical JSON like
// AuditDetail), never customer text; `text` is sealed into `text_enc` for its row.

import Foundation
import MadoguchiStore

/// The timeline of an inquiry.
public enum InquiryEvents {
    /// Appends one event.
    /// - Parameters:
    ///   - kind: what happened.
    ///   - inquiry: `inquiries.id`.
    ///   - user: the acting `users.id`, or nil for a program.
    ///   - detail: clear metadata (ids, states, reasons), stored as canonical JSON; empty
    ///     stores NULL.
    ///   - text: internal text (a note, a comment, a relay's answer), stored encrypted.
    ///   - reply: the reply it concerns, if any.
    ///   - now: Unix time.
    ///   - tx: the write transaction of the change.
    /// - Returns: the event's `inquiry_events.id`.
    /// - Throws: `StoreError` (a missing inquiry, user or reply is a foreign-key error),
    ///   `CryptoError`.
    @discardableResult
    public static func append(
        _ kind: InquiryEventKind, inquiry: Int64, user: Int64?, detail: [String: String] = [:], text: String? = nil,
        reply: Int64? = nil, now: Int64, in tx: DatabaseTransaction
    ) throws -> Int64 {
        var values = RowValues()
        values.set("inquiry_id", .integer(inquiry))
        values.set("at", .integer(now))
        values.set("user_id", .optional(user))
        values.set("kind", .text(kind.rawValue))
        values.set("detail", detail.isEmpty ? .null : .text(AuditDetail.words(detail)))
        values.seal("text_enc", text)
        values.set("reply_id", .optional(reply))
        return try tx.insert(into: "inquiry_events", values)
    }

    /// The events of one inquiry, oldest first, with the acting user's names and the
    /// decrypted text.
    /// - Parameters:
    ///   - inquiry: `inquiries.id`.
    ///   - tx: a read or write transaction.
    /// - Throws: `StoreError`, `CryptoError` (a text that does not verify).
    public static func list(inquiry: Int64, in tx: DatabaseTransaction) throws -> [InquiryEvent] {
        try tx.rows(
            """
            SELECT e.id, e.at, e.user_id, e.kind, e.detail, e.text_enc, e.reply_id, u.login, u.display_name
            FROM inquiry_events e LEFT JOIN users u ON u.id = e.user_id
            WHERE e.inquiry_id = ? ORDER BY e.id
            """, [.integer(inquiry)]
        ).compactMap { row in
            // The kind CHECK admits only known kinds, and a newer schema is refused on open.
            guard let id = row.int64("id"), let kind = row.string("kind").flatMap(InquiryEventKind.init(rawValue:))
            else { return nil }
            return InquiryEvent(
                id: id, inquiryID: inquiry, at: row.int64("at") ?? 0, kind: kind, userID: row.int64("user_id"),
                userLogin: row.string("login"), userName: row.string("display_name"),
                detail: parse(row.string("detail")),
                text: try tx.openString(row["text_enc"], table: "inquiry_events", column: "text_enc", row: id),
                replyID: row.int64("reply_id"))
        }
    }

    /// The `{"key":"value",…}` object `append` stored, or empty.
    static func parse(_ json: String?) -> [String: String] {
        // Most events have no detail: no parser (and no thrown Foundation error) for those.
        guard let json, json.utf8.count > 2,
            let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        else { return [:] }
        return object
    }
}
