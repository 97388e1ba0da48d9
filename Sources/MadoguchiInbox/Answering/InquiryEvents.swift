// InquiryEvents: appends one row to `inquiry_events`, the history an inquiry page shows
// (who did what, when). MINIMAL STAND-IN for the workflow branch's InquiryEvents with
// the same signature: the lead keeps theirs at the merge.
// SECURITY: `detail` holds fixed words and ids only; free text goes into `text_enc`.

import MadoguchiStore

/// The event history of inquiries.
public enum InquiryEvents {
    /// Appends an event in the caller's write transaction.
    /// - Parameters:
    ///   - kind: what happened.
    ///   - inquiry: `inquiries.id`.
    ///   - user: who did it (`users.id`), nil for a program.
    ///   - detail: fixed words and ids, stored as canonical JSON.
    ///   - text: free text (a note, a comment, a relay's answer), sealed.
    ///   - reply: the reply it concerns, if any.
    ///   - now: Unix time.
    ///   - tx: the write transaction of the change.
    /// - Returns: the event's id.
    /// - Throws: `StoreError`, `CryptoError`.
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
}
