// Outbox: the sending side of replies, for send-replies(8). One run: `reconcile`, then
// for each of `due`: `begin` (commit before DATA), `attempting` (commit right before the
// final dot), then `sent`, `retry` or `failed`. Each takes the caller's transaction, so
// a run may commit `sent(k)` and `attempting(k+1)` together.
// A reply is sent once: a run killed after `attempting` leaves `sending` with
// `attempt_at` set — the relay may have it — and `reconcile` makes it `unconfirmed`,
// never resent automatically (an operator resends it or marks it sent); killed before
// it, `attempt_at` is NULL, the final dot never went out, and the reply is queued again.
// SECURITY: the relay's answers and bounce reasons are stored sealed with the
// customer's address replaced by the pseudonym, so masked operators never read it there.

import Foundation
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiStore

/// The outbox of replies.
public struct Outbox: Sendable {
    /// The audit actor of send-replies.
    public static let auditActor = "system:send-replies"
    /// The most References ids an item carries.
    public static let maximumReferences = 20
    /// The longest wait between two attempts, in seconds.
    public static let maximumBackoff: Int64 = 3600
    /// The most characters of a relay answer or bounce reason kept.
    public static let maximumErrorLength = 2000

    /// The instance keys (Message-ID indexes, search tokens).
    public let keys: KeyRing
    /// The reply settings (`send_queue_lifetime`, `send_delay`).
    public let configuration: Replies.Configuration

    /// Creates the outbox view.
    /// - Parameters:
    ///   - keys: the instance key ring.
    ///   - configuration: the reply settings.
    public init(keys: KeyRing, configuration: Replies.Configuration = Replies.Configuration()) {
        self.keys = keys
        self.configuration = configuration
    }

    // MARK: send-replies

    /// Repairs what a killed run left in `sending`: without `attempt_at` the final dot
    /// was never sent, so the reply is queued again (safe to resend); with it the relay
    /// may have accepted it, so it becomes `unconfirmed` (event `reply-unconfirmed`,
    /// audited) and is never resent automatically. Run it first, in its own transaction.
    /// - Returns: the replies queued again and those now unconfirmed.
    /// - Throws: `StoreError`.
    @discardableResult
    public func reconcile(now: Int64, in tx: DatabaseTransaction) throws -> (requeued: [Int64], unconfirmed: [Int64]) {
        var requeued: [Int64] = []
        var unconfirmed: [Int64] = []
        for row in try tx.rows("SELECT id, inquiry_id, attempt_at FROM replies WHERE state = 'sending' ORDER BY id") {
            guard let id = row.int64("id"), let inquiry = row.int64("inquiry_id") else { continue }
            if row.int64("attempt_at") == nil {
                try tx.run(
                    "UPDATE replies SET state = 'queued', updated_at = ? WHERE id = ?", [.integer(now), .integer(id)])
                requeued.append(id)
            } else {
                try markUnconfirmed(id, inquiry: inquiry, reason: nil, now: now, in: tx)
                unconfirmed.append(id)
            }
        }
        return (requeued, unconfirmed)
    }

    /// Records that the relay may hold a reply whose answer never came (the final dot
    /// went out, then the connection failed or timed out): state `unconfirmed`, event
    /// `reply-unconfirmed` with `reason`, audited; never resent automatically.
    /// - Throws: `ReplyError.wrongState` unless the reply is `sending`, `StoreError`, `CryptoError`.
    public func unconfirmed(reply id: Int64, reason: String, now: Int64, in tx: DatabaseTransaction) throws {
        guard let row = try tx.rows("SELECT state, inquiry_id FROM replies WHERE id = ?", [.integer(id)]).first
        else { throw InquiryError.notFound("reply \(id)") }
        let state = ReplyState(rawValue: row.string("state") ?? "") ?? .failed
        guard state == .sending else { throw ReplyError.wrongState(state, action: "marked unconfirmed") }
        try markUnconfirmed(id, inquiry: row.int64("inquiry_id") ?? 0, reason: reason, now: now, in: tx)
    }

    private func markUnconfirmed(_ id: Int64, inquiry: Int64, reason: String?, now: Int64, in tx: DatabaseTransaction)
        throws
    {
        try tx.run(
            "UPDATE replies SET state = 'unconfirmed', updated_at = ? WHERE id = ?", [.integer(now), .integer(id)])
        try InquiryEvents.append(
            .replyUnconfirmed, inquiry: inquiry, user: nil,
            text: try reason.map { try redacted($0, reply: id, in: tx) }, reply: id, now: now, in: tx)
        try AuditLog.append(
            AuditEvent(actor: Outbox.auditActor, action: .replyUnconfirmed, target: "reply:\(id)"), in: tx,
            now: Replies.date(now))
    }

    /// The queued replies whose undo window has passed and whose next attempt is due,
    /// oldest first, decrypted for sending. A reply that cannot be sent at all (no
    /// recipient, a mailbox without From address) is marked failed here instead.
    /// - Parameters:
    ///   - now: Unix time; also each item's `date`.
    ///   - limit: the most items.
    ///   - tx: a write transaction.
    /// - Throws: `StoreError`, `CryptoError`.
    public func due(now: Int64, limit: Int, in tx: DatabaseTransaction) throws -> [OutboxItem] {
        var items: [OutboxItem] = []
        for row in try tx.rows(
            """
            SELECT id FROM replies INDEXED BY replies_due WHERE state IN ('queued', 'sending') AND state = 'queued'
                AND send_after <= ?
                AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY send_after, id LIMIT ?
            """, [.integer(now), .integer(now), .int(max(0, limit))])
        {
            guard let id = row.int64("id") else { continue }
            if let item = try item(id, now: now, in: tx) { items.append(item) }
        }
        return items
    }

    /// Marks a due reply as being sent; commit this before SMTP DATA.
    /// - Throws: `ReplyError.wrongState` when it is no longer queued and due (cancelled
    ///   meanwhile), `StoreError`.
    public func begin(reply id: Int64, now: Int64, in tx: DatabaseTransaction) throws {
        guard
            try tx.run(
                "UPDATE replies SET state = 'sending', updated_at = ? WHERE id = ? AND state = 'queued' AND send_after <= ?",
                [.integer(now), .integer(id), .integer(now)]) == 1
        else { throw ReplyError.wrongState(try state(id, in: tx), action: "sent now") }
    }

    /// Records that the final dot is about to go out; commit this right before it.
    /// - Throws: `ReplyError.wrongState` unless the reply is `sending`, `StoreError`.
    public func attempting(reply id: Int64, now: Int64, in tx: DatabaseTransaction) throws {
        guard
            try tx.run(
                "UPDATE replies SET attempt_at = ? WHERE id = ? AND state = 'sending'", [.integer(now), .integer(id)])
                == 1
        else { throw ReplyError.wrongState(try state(id, in: tx), action: "sent now") }
    }

    /// Records a reply the relay accepted (`250` after the final dot): state `sent`, a
    /// `messages` row (direction `out`, intake id `reply:<id>`, our Message-ID's index,
    /// sealed texts, a copy of the attachments, search tokens) in its inquiry, the
    /// inquiry's `last_message_at` and status (`status_after`), event `reply-sent` (the
    /// relay's answer as its text), audited as `reply-sent`.
    /// - Parameters:
    ///   - id: `replies.id`.
    ///   - relayAnswer: the relay's reply to the final dot.
    ///   - raw: the message as sent (stored as its source), if the caller has it.
    ///   - now: Unix time, the sent time.
    ///   - tx: a write transaction.
    /// - Returns: the new `messages.id`.
    /// - Throws: `ReplyError.wrongState` unless `sending`, `StoreError`, `CryptoError`.
    @discardableResult
    public func sent(reply id: Int64, relayAnswer: String?, raw: [UInt8]? = nil, now: Int64, in tx: DatabaseTransaction)
        throws -> Int64
    {
        let state = try state(id, in: tx)
        guard state == .sending else { throw ReplyError.wrongState(state, action: "recorded as sent") }
        return try recordSent(
            id, relayAnswer: relayAnswer, raw: raw, user: nil,
            audit: AuditEvent(actor: Outbox.auditActor, action: .replySent, target: "reply:\(id)"), now: now, in: tx)
    }

    /// Records a temporary failure (a 4xx answer, a connection that failed or broke
    /// before the final dot was accepted): the reply is queued again for the next
    /// attempt after 1, 2, 4 … minutes (at most `maximumBackoff`), event `reply-retry`;
    /// once it has been queued for `send_queue_lifetime` it fails instead (as `failed`).
    /// - Parameters:
    ///   - id: `replies.id` (`sending` or `queued`).
    ///   - error: what went wrong (the relay's answer or the connection error).
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Returns: `.queued` or `.failed`.
    /// - Throws: `ReplyError.wrongState`, `StoreError`, `CryptoError`.
    @discardableResult
    public func retry(reply id: Int64, error: String, now: Int64, in tx: DatabaseTransaction) throws -> ReplyState {
        guard
            let row = try tx.rows(
                "SELECT state, attempts, queued_at, inquiry_id FROM replies WHERE id = ?", [.integer(id)]
            )
            .first
        else { throw InquiryError.notFound("reply \(id)") }
        let state = ReplyState(rawValue: row.string("state") ?? "") ?? .failed
        guard state == .sending || state == .queued else { throw ReplyError.wrongState(state, action: "retried") }
        let attempts = (row.int64("attempts") ?? 0) + 1
        if now - (row.int64("queued_at") ?? now) >= configuration.queueLifetime {
            try fail(id, reason: "gave up after \(attempts) attempts: " + error, detail: "expired", now: now, in: tx)
            return .failed
        }
        let next = now + Outbox.backoff(attempts: attempts)
        var values = RowValues()
        values.set("state", .text(ReplyState.queued.rawValue))
        values.set("attempts", .integer(attempts))
        values.set("next_attempt_at", .integer(next))
        values.set("attempt_at", .null)
        values.seal("last_error_enc", try redacted(error, reply: id, in: tx))
        values.set("updated_at", .integer(now))
        try tx.update("replies", id: id, values)
        try InquiryEvents.append(
            .replyRetry, inquiry: row.int64("inquiry_id") ?? 0, user: nil,
            detail: ["attempts": String(attempts), "next_attempt_at": String(next)], reply: id, now: now, in: tx)
        return .queued
    }

    /// Records a permanent refusal (a 5xx answer): state `failed`, the answer as
    /// `last_error` (the page shows it escaped), the inquiry back to 対応中, event
    /// `reply-failed`, audited as `reply-failed`.
    /// - Throws: `ReplyError.wrongState` unless `sending`, `StoreError`, `CryptoError`.
    public func failed(reply id: Int64, relayAnswer: String, now: Int64, in tx: DatabaseTransaction) throws {
        let state = try state(id, in: tx)
        guard state == .sending else { throw ReplyError.wrongState(state, action: "marked failed") }
        try fail(id, reason: relayAnswer, detail: "refused", now: now, in: tx)
    }

    /// The wait before attempt `attempts + 1`: 60 s × 2^(attempts − 1), at most
    /// `maximumBackoff`.
    public static func backoff(attempts: Int64) -> Int64 {
        let exponent = min(max(attempts - 1, 0), 10)
        return min(maximumBackoff, 60 << exponent)
    }

    // MARK: Operators

    /// Queues a failed or unconfirmed reply again (for an unconfirmed one: after
    /// checking with the customer that it did not arrive), with a fresh undo window and
    /// the same Message-ID; event `reply-queued`, audited as `reply-resend`. Its author
    /// (with `reply`) or a user with `approve` may do it.
    /// - Throws: `ReplyError` (`forbidden`, `notAuthor`, `wrongState`), `InquiryError.notFound`,
    ///   `StoreError`.
    public func resend(reply id: Int64, actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction) throws {
        let (state, inquiry) = try operatorCheck(id, actor: actor, in: tx)
        guard state == .failed || state == .unconfirmed else { throw ReplyError.wrongState(state, action: "resent") }
        var values = RowValues()
        values.set("state", .text(ReplyState.queued.rawValue))
        values.set("queued_at", .integer(now))
        values.set("send_after", .integer(now + configuration.sendDelay))
        values.set("attempts", 0)
        values.set("next_attempt_at", .null)
        values.set("attempt_at", .null)
        values.seal("last_error_enc", nil as String?)
        values.set("updated_at", .integer(now))
        try tx.update("replies", id: id, values)
        try InquiryEvents.append(
            .replyQueued, inquiry: inquiry, user: actor.userID,
            detail: ["send_after": String(now + configuration.sendDelay), "resend": "1"], reply: id, now: now, in: tx)
        try AuditLog.append(actor.audit.event(.replyResend, target: "reply:\(id)"), in: tx, now: Replies.date(now))
    }

    /// Marks an unconfirmed reply as sent (the customer has it): recorded as `sent`
    /// does, audited as `reply-sent` by the operator with detail `{"marked":"1"}`. Its
    /// author (with `reply`) or a user with `approve` may do it.
    /// - Returns: the new `messages.id`.
    /// - Throws: `ReplyError` (`forbidden`, `notAuthor`, `wrongState`), `InquiryError.notFound`,
    ///   `StoreError`, `CryptoError`.
    @discardableResult
    public func markSent(reply id: Int64, actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction) throws -> Int64
    {
        let (state, _) = try operatorCheck(id, actor: actor, in: tx)
        guard state == .unconfirmed else { throw ReplyError.wrongState(state, action: "marked as sent") }
        return try recordSent(
            id, relayAnswer: nil, raw: nil, user: actor.userID,
            audit: actor.audit.event(.replySent, target: "reply:\(id)", detail: AuditDetail.words(["marked": "1"])),
            now: now, in: tx)
    }

    // MARK: Bounces

    /// Records that a sent reply bounced (called by the filer for a delivery status
    /// notification naming our Message-ID): a sent or unconfirmed reply becomes
    /// `failed` with `reason`, the inquiry goes back to 対応中; event `reply-failed`
    /// (detail `{"reason":"bounce"}`), audited as `reply-failed` by `actor`.
    /// - Returns: the reply's id, or nil when no reply has this Message-ID.
    /// - Throws: `StoreError`, `CryptoError`.
    @discardableResult
    func bounced(messageID: String, reason: String, actor: String, now: Int64, in tx: DatabaseTransaction) throws
        -> Int64?
    {
        guard let normal = Threading.normalizeMessageID(messageID),
            let row = try tx.rows("SELECT id, state FROM replies WHERE message_id = ?", [.text("<\(normal)>")]).first,
            let id = row.int64("id")
        else { return nil }
        let state = ReplyState(rawValue: row.string("state") ?? "") ?? .failed
        if state == .sent || state == .unconfirmed {
            try fail(id, reason: reason, detail: "bounce", actor: actor, now: now, in: tx)
        }
        return id
    }

    // MARK: Helpers

    /// Builds the item of reply `id`, or fails the reply when it cannot be sent.
    private func item(_ id: Int64, now: Int64, in tx: DatabaseTransaction) throws -> OutboxItem? {
        guard
            let row = try tx.fetch(
                "replies", id: id,
                columns: [
                    "inquiry_id", "mailbox_id", "answers_message_id", "subject_enc", "body_enc", "recipient_enc",
                    "message_id", "attempts",
                ])
        else { return nil }
        let mailbox = try Mailboxes.replySettings(mailbox: row.int64("mailbox_id") ?? 0, in: tx)
        guard let recipient = row.string("recipient_enc"), !recipient.isEmpty else {
            try fail(id, reason: ReplyError.noRecipient.description, detail: "unsendable", now: now, in: tx)
            return nil
        }
        guard let from = mailbox.fromAddress, let messageID = row.string("message_id") else {
            try fail(id, reason: ReplyError.noFromAddress.description, detail: "unsendable", now: now, in: tx)
            return nil
        }
        let (inReplyTo, references) = try threadIDs(answering: row.int64("answers_message_id"), in: tx)
        return OutboxItem(
            replyID: id, inquiryID: row.int64("inquiry_id") ?? 0, recipient: recipient, fromAddress: from,
            fromName: mailbox.fromName, subject: Replies.cleanSubject(row.string("subject_enc") ?? ""),
            body: row.string("body_enc") ?? "", charset: mailbox.charset.rawValue, messageID: messageID,
            inReplyTo: inReplyTo,
            references: references, attachments: try ReplyAttachments.files(of: id, in: tx), date: now,
            attempts: Int(row.int64("attempts") ?? 0))
    }

    /// In-Reply-To and References for a reply to message `answered`, from its stored
    /// header block: its Message-ID, and its References followed by its Message-ID.
    private func threadIDs(answering answered: Int64?, in tx: DatabaseTransaction) throws
        -> (String?, [String])
    {
        guard let answered,
            let headers = try tx.fetch("messages", id: answered, columns: ["headers_enc"])?
                .blob("headers_enc")
        else { return (nil, []) }
        let parsed = MessageParser(limits: .standard).parse(headers + Array("\r\n\r\n".utf8))
        let own = parsed.messageID.map { "<\($0)>" }
        var references: [String] = []
        for id in parsed.references.map({ "<\($0)>" }) + (own.map { [$0] } ?? []) where !references.contains(id) {
            references.append(id)
        }
        if references.count > Outbox.maximumReferences {
            references = [references[0]] + references.suffix(Outbox.maximumReferences - 1)
        }
        return (own, references)
    }

    /// The state of reply `id`.
    private func state(_ id: Int64, in tx: DatabaseTransaction) throws -> ReplyState {
        guard let text = try tx.rows("SELECT state FROM replies WHERE id = ?", [.integer(id)]).first?.string("state")
        else { throw InquiryError.notFound("reply \(id)") }
        return ReplyState(rawValue: text) ?? .failed
    }

    /// Fails a reply: state `failed`, `reason` (redacted) as the last error, the inquiry
    /// back to 対応中, event and audit entry `reply-failed` with `{"reason": detail}`.
    private func fail(
        _ id: Int64, reason: String, detail: String, actor: String = Outbox.auditActor, now: Int64,
        in tx: DatabaseTransaction
    ) throws {
        let inquiry = try tx.rows("SELECT inquiry_id FROM replies WHERE id = ?", [.integer(id)]).first?.int64(
            "inquiry_id")
        let text = try redacted(reason, reply: id, in: tx)
        var values = RowValues()
        values.set("state", .text(ReplyState.failed.rawValue))
        values.seal("last_error_enc", text)
        values.set("next_attempt_at", .null)
        values.set("updated_at", .integer(now))
        try tx.update("replies", id: id, values)
        if let inquiry {
            try Replies.setStatus("in_progress", inquiry: inquiry, now: now, in: tx)
            try InquiryEvents.append(
                .replyFailed, inquiry: inquiry, user: nil, detail: ["reason": detail], text: text, reply: id, now: now,
                in: tx)
        }
        try AuditLog.append(
            AuditEvent(
                actor: actor, action: .replyFailed, target: "reply:\(id)", result: .failed,
                detail: AuditDetail.words(["reason": detail])), in: tx, now: Replies.date(now))
    }

    /// `text` cut to `maximumErrorLength`, with the reply's recipient address replaced
    /// by the customer's pseudonym (any case).
    private func redacted(_ text: String, reply id: Int64, in tx: DatabaseTransaction) throws -> String {
        var out = String(text.prefix(Outbox.maximumErrorLength))
        guard
            let row = try tx.rows(
                """
                SELECT r.recipient_enc, c.pseudonym FROM replies r JOIN inquiries i ON i.id = r.inquiry_id
                LEFT JOIN customers c ON c.id = i.customer_id WHERE r.id = ?
                """, [.integer(id)]
            ).first,
            let address = try tx.openString(row["recipient_enc"], table: "replies", column: "recipient_enc", row: id),
            !address.isEmpty
        else { return out }
        out = out.replacingOccurrences(
            of: address, with: row.string("pseudonym") ?? "(customer)", options: .caseInsensitive)
        return out
    }

    /// Checks that `actor` may resend or mark reply `id`: its author with `reply`, or
    /// anyone with `approve`.
    private func operatorCheck(_ id: Int64, actor: AnsweringActor, in tx: DatabaseTransaction) throws
        -> (ReplyState, Int64)
    {
        guard
            let row = try tx.rows("SELECT state, author_id, inquiry_id FROM replies WHERE id = ?", [.integer(id)]).first
        else { throw InquiryError.notFound("reply \(id)") }
        let state = ReplyState(rawValue: row.string("state") ?? "") ?? .failed
        if state == .draft, row.int64("author_id") != actor.userID { throw InquiryError.notFound("reply \(id)") }
        if !actor.permits(.approve) {
            try actor.require(.reply)
            guard row.int64("author_id") == actor.userID else { throw ReplyError.notAuthor }
        }
        return (state, row.int64("inquiry_id") ?? 0)
    }

    /// Writes the sent state and the thread's `out` message.
    private func recordSent(
        _ id: Int64, relayAnswer: String?, raw: [UInt8]?, user: Int64?, audit: AuditEvent, now: Int64,
        in tx: DatabaseTransaction
    ) throws -> Int64 {
        guard
            let reply = try tx.fetch(
                "replies", id: id,
                columns: [
                    "inquiry_id", "mailbox_id", "subject_enc", "body_enc", "recipient_enc", "message_id",
                    "status_after",
                ]),
            let inquiry = reply.int64("inquiry_id"), let mailboxID = reply.int64("mailbox_id")
        else { throw InquiryError.notFound("reply \(id)") }
        let mailbox = try Mailboxes.replySettings(mailbox: mailboxID, in: tx)
        let customer = try tx.rows("SELECT customer_id FROM inquiries WHERE id = ?", [.integer(inquiry)]).first?
            .int64("customer_id")
        let subject = reply.string("subject_enc")
        let body = reply.string("body_enc")
        let earlier =
            try tx.rows(
                "SELECT count(*) AS n FROM messages WHERE reply_id = ? OR intake_id = ?",
                [.integer(id), .text("reply:\(id)")]
            ).first?.int64("n") ?? 0

        var message = RowValues()
        message.set("inquiry_id", .integer(inquiry))
        message.set("mailbox_id", .integer(mailboxID))
        message.set("customer_id", .optional(customer))
        message.set("intake_id", .text(earlier == 0 ? "reply:\(id)" : "reply:\(id).\(earlier + 1)"))
        message.set("direction", "out")
        message.set("received_at", .integer(now))
        message.set("size", .int(raw?.count ?? body?.utf8.count ?? 0))
        let index = try reply.string("message_id").flatMap { try Threading.messageIDIndex($0, keys: keys) }
        message.set("message_id_index", index.map { .blob($0) } ?? .null)
        message.seal("subject_enc", subject)
        message.seal("from_name_enc", mailbox.fromName)
        message.seal("from_addr_enc", mailbox.fromAddress)
        message.seal(
            "to_enc",
            Filer.addressJSON(reply.string("recipient_enc").map { [MailAddress(name: nil, address: $0)] } ?? []))
        message.seal("headers_enc", raw.map(Filer.headerBlock))
        message.seal("text_body_enc", body)
        message.seal("raw_enc", raw)
        message.set("reply_id", .integer(id))
        let messageID = try tx.insert(into: "messages", message)
        try Filer.storeAttachments(try ReplyAttachments.files(of: id, in: tx), of: messageID, in: tx)
        let search = SearchIndex(keys: keys)
        try search.add(search.tokens(subject: subject, body: body, mailboxID: mailboxID), messageID: messageID, in: tx)

        var sent = RowValues()
        sent.set("state", .text(ReplyState.sent.rawValue))
        sent.set("sent_at", .integer(now))
        sent.set("next_attempt_at", .null)
        sent.seal("last_error_enc", nil as String?)
        sent.set("updated_at", .integer(now))
        try tx.update("replies", id: id, sent)
        try tx.run(
            """
            UPDATE inquiries SET last_message_at = max(last_message_at, ?), updated_at = ?,
                status = CASE WHEN status = 'trash' THEN status ELSE ? END WHERE id = ?
            """, [.integer(now), .integer(now), .text(reply.string("status_after") ?? "done"), .integer(inquiry)])
        try InquiryEvents.append(
            .replySent, inquiry: inquiry, user: user, detail: ["message": String(messageID)],
            text: try relayAnswer.map { try redacted($0, reply: id, in: tx) },
            reply: id, now: now, in: tx)
        try AuditLog.append(audit, in: tx, now: Replies.date(now))
        return messageID
    }
}
