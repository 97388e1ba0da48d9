// Replies: replies from the first draft to the outbox — start a draft prefilled from
// the inquiry, save it (sealed, kept across logins, only by its author, with an
// optimistic version check), discard it, and read drafts and replies back. Sending,
// the undo window and approval are in Replies+Queue and Replies+Approval; what
// send-replies does is Outbox. Every function works in the caller's transaction.
// SECURITY: the recipient is the inquiry's customer, filled here from
// `customers.address_enc`, never from the browser; Reply-To is not followed (A26:
// the editor shows where the reply goes). Without `view_addresses` the reader gets
// the customer's pseudonym instead of the address. Subjects lose CR, LF, NUL and
// other controls before they are stored (C1).

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiStore

/// Drafts and replies of an instance.
public struct Replies: Sendable {
    /// The reply settings of madoguchi.conf.
    public struct Configuration: Sendable, Equatable {
        /// The undo window, in seconds (`send_delay`, clamped to 0…3600).
        public var sendDelay: Int64
        /// How long temporary failures are retried (`send_queue_lifetime`).
        public var queueLifetime: Int64
        /// The largest attachment (`reply_attachment_max`).
        public var attachmentMax: Int64
        /// The most attachment bytes per reply (`reply_attachment_total_max`).
        public var attachmentTotalMax: Int64

        /// Settings; the defaults are those of madoguchi.conf(5).
        public init(
            sendDelay: Int64 = 60, queueLifetime: Int64 = 172_800, attachmentMax: Int64 = 10 << 20,
            attachmentTotalMax: Int64 = 15 << 20
        ) {
            self.sendDelay = min(3600, max(0, sendDelay))
            self.queueLifetime = max(60, queueLifetime)
            self.attachmentMax = max(0, attachmentMax)
            self.attachmentTotalMax = max(0, attachmentTotalMax)
        }

        /// The settings `send_delay`, `send_queue_lifetime`, `reply_attachment_max` and
        /// `reply_attachment_total_max` give.
        public init(_ configuration: MadoguchiCore.Configuration) {
            self.init(
                sendDelay: Int64(configuration[.sendDelay].rounded()),
                queueLifetime: Int64(configuration[.sendQueueLifetime].rounded()),
                attachmentMax: configuration[.replyAttachmentMax],
                attachmentTotalMax: configuration[.replyAttachmentTotalMax])
        }
    }

    /// What an inquiry becomes once the reply is sent.
    public enum StatusAfter: String, Sendable, Equatable, CaseIterable {
        /// 対応中: more work to do.
        case inProgress = "in_progress"
        /// 対応済.
        case done = "done"
    }

    /// The longest subject, in characters.
    public static let maximumSubjectLength = 500
    /// The longest body, in bytes of UTF-8.
    public static let maximumBodyBytes = 1 << 20
    /// The longest return comment, in bytes of UTF-8.
    public static let maximumCommentBytes = 10_000

    /// The instance keys (subject tags, Message-IDs).
    public let keys: KeyRing
    /// The settings.
    public let configuration: Configuration

    /// Creates the replies view.
    /// - Parameters:
    ///   - keys: the instance key ring.
    ///   - configuration: the reply settings.
    public init(keys: KeyRing, configuration: Configuration = Configuration()) {
        self.keys = keys
        self.configuration = configuration
    }

    // MARK: Drafts

    /// Starts a reply to an inquiry, or returns the actor's open draft of it. The draft
    /// is prefilled: the subject is the inquiry's with one `Re: ` and its verified tag
    /// (`Threading.taggedSubject`, never twice); the body quotes the answered message
    /// (its text part, else the text of its HTML part) under a date and name line in
    /// `language`, then the mailbox signature; the recipient is the inquiry's customer.
    /// - Parameters:
    ///   - inquiry: `inquiries.id`.
    ///   - message: the customer message answered (`messages.id`, of this inquiry);
    ///     nil answers the newest one.
    ///   - actor: the author (needs `reply`).
    ///   - language: the language of the date and name line.
    ///   - timeZone: the time zone of that line.
    ///   - now: Unix time.
    ///   - tx: a write transaction (the lock is taken in the same one).
    /// - Returns: the draft, with texts.
    /// - Throws: `AnsweringError.notPermitted`, `InquiryError.notFound`, `StoreError`, `CryptoError`.
    public func start(
        inquiry: Int64, answering message: Int64? = nil, actor: AnsweringActor, language: ReplyQuote.Language,
        timeZone: TimeZone, now: Int64, in tx: DatabaseTransaction
    ) throws -> Reply {
        try actor.require(.reply)
        guard
            let row = try tx.rows(
                "SELECT mailbox_id, customer_id, subject_enc FROM inquiries WHERE id = ?", [.integer(inquiry)]
            ).first, let mailboxID = row.int64("mailbox_id")
        else { throw InquiryError.notFound("inquiry \(inquiry)") }
        if let open = try tx.rows(
            "SELECT id FROM replies WHERE inquiry_id = ? AND author_id = ? AND state = 'draft' ORDER BY id LIMIT 1",
            [.integer(inquiry), .integer(actor.userID)]
        ).first?.int64("id"), let draft = try load(open, actor: actor, texts: true, in: tx) {
            return draft
        }
        let answered = try answeredMessage(inquiry: inquiry, message: message, in: tx)
        let subject = try tx.openString(row["subject_enc"], table: "inquiries", column: "subject_enc", row: inquiry)
        let mailbox = try Mailboxes.replySettings(mailbox: mailboxID, in: tx)
        let recipient = try row.int64("customer_id").flatMap { customer in
            try tx.rows("SELECT address_enc FROM customers WHERE id = ?", [.integer(customer)]).first.flatMap {
                try tx.openString($0["address_enc"], table: "customers", column: "address_enc", row: customer)
            }
        }
        let attribution = ReplyQuote.attributionLine(
            date: answered?.receivedAt ?? now, name: answered?.name, language: language, timeZone: timeZone)

        var values = RowValues()
        values.set("inquiry_id", .integer(inquiry))
        values.set("mailbox_id", .integer(mailboxID))
        values.set("author_id", .integer(actor.userID))
        values.set("answers_message_id", .optional(answered?.id))
        values.set("state", .text(ReplyState.draft.rawValue))
        values.seal(
            "subject_enc",
            try Threading.taggedSubject(
                ReplyQuote.replySubject(Replies.cleanSubject(subject ?? "")), inquiryID: inquiry, keys: keys))
        values.seal(
            "body_enc",
            ReplyQuote.body(original: answered?.text, attribution: attribution, signature: mailbox.signature)
        )
        values.seal("recipient_enc", recipient)
        values.set("created_at", .integer(now))
        values.set("updated_at", .integer(now))
        let id = try tx.insert(into: "replies", values)
        guard let draft = try load(id, actor: actor, texts: true, in: tx) else {
            throw InquiryError.notFound("reply \(id)")
        }
        return draft
    }

    /// Saves the editor's subject and body of a draft (sealed) and what the inquiry
    /// becomes once it is sent.
    /// - Parameters:
    ///   - draft: `replies.id`.
    ///   - version: the version the editor loaded; another one means someone saved in
    ///     between and nothing is written.
    ///   - subject: the subject; controls and line breaks become blanks (C1).
    ///   - body: the body; line ends become LF, NUL characters are removed.
    ///   - statusAfter: the inquiry status once sent.
    ///   - actor: the author.
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Returns: the saved draft (its new version).
    /// - Throws: `ReplyError` (`forbidden`, `notAuthor`, `wrongState`, `stale`,
    ///   `subjectTooLong`, `bodyTooLong`), `InquiryError.notFound`, `StoreError`, `CryptoError`.
    @discardableResult
    public func save(
        draft: Int64, version: Int64, subject: String, body: String, statusAfter: StatusAfter, actor: AnsweringActor,
        now: Int64, in tx: DatabaseTransaction
    ) throws -> Reply {
        let current = try editable(draft, actor: actor, in: tx)
        guard current.version == version else { throw ReplyError.stale(current: current.version) }
        let cleanSubject = Replies.cleanSubject(subject)
        guard cleanSubject.count <= Replies.maximumSubjectLength else { throw ReplyError.subjectTooLong }
        let cleanBody = Replies.cleanBody(body)
        guard cleanBody.utf8.count <= Replies.maximumBodyBytes else { throw ReplyError.bodyTooLong }
        var values = RowValues()
        values.seal("subject_enc", cleanSubject)
        values.seal("body_enc", cleanBody)
        values.set("status_after", .text(statusAfter.rawValue))
        values.set("version", .integer(current.version + 1))
        values.set("updated_at", .integer(now))
        try tx.update("replies", id: draft, values)
        guard let saved = try load(draft, actor: actor, texts: true, in: tx) else {
            throw InquiryError.notFound("reply \(draft)")
        }
        return saved
    }

    /// Throws a draft away with its attachments (and the lock it held), audited as
    /// `reply-discard`.
    /// - Throws: `ReplyError` (`forbidden`, `notAuthor`, `wrongState`),
    ///   `InquiryError.notFound`, `StoreError`.
    public func discard(draft: Int64, actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction) throws {
        _ = try editable(draft, actor: actor, in: tx)
        try tx.run("DELETE FROM replies WHERE id = ?", [.integer(draft)])
        try AuditLog.append(actor.audit.event(.replyDiscard, target: "reply:\(draft)"), in: tx, now: Replies.date(now))
    }

    /// The actor's drafts, most recently saved first, with subjects but without bodies.
    /// - Throws: `StoreError`, `CryptoError`.
    public func drafts(of actor: AnsweringActor, in tx: DatabaseTransaction) throws -> [Reply] {
        try list(
            where: "r.author_id = ? AND r.state = 'draft'", [.integer(actor.userID)],
            order: "r.updated_at DESC, r.id DESC",
            actor: actor, in: tx)
    }

    /// One reply with its texts and attachments. A draft is shown to its author only;
    /// to anyone else it does not exist (F2).
    /// - Throws: `AnsweringError.notPermitted`, `InquiryError.notFound`, `StoreError`, `CryptoError`.
    public func reply(_ id: Int64, actor: AnsweringActor, in tx: DatabaseTransaction) throws -> Reply {
        try actor.require(.readMail)
        guard let reply = try load(id, actor: actor, texts: true, in: tx),
            reply.state != .draft || reply.authorID == actor.userID
        else { throw InquiryError.notFound("reply \(id)") }
        return reply
    }

    /// The replies of an inquiry, oldest first, for its thread: state, author, times,
    /// approver, return comment, last error — subjects, but no bodies; other people's
    /// drafts only as "being written" (no subject).
    /// - Throws: `AnsweringError.notPermitted`, `StoreError`, `CryptoError`.
    public func replies(of inquiry: Int64, actor: AnsweringActor, in tx: DatabaseTransaction) throws -> [Reply] {
        try actor.require(.readMail)
        return try list(where: "r.inquiry_id = ?", [.integer(inquiry)], order: "r.id", actor: actor, in: tx).map {
            var reply = $0
            if reply.state == .draft, reply.authorID != actor.userID {
                reply.subject = nil
                reply.returnComment = nil
            }
            return reply
        }
    }

    // MARK: Loading

    /// The draft `id` if the actor may edit it: `reply`, the author, state draft.
    func editable(_ id: Int64, actor: AnsweringActor, in tx: DatabaseTransaction) throws -> Reply {
        try actor.require(.reply)
        guard let reply = try load(id, actor: actor, texts: false, in: tx),
            reply.state != .draft || reply.authorID == actor.userID
        else { throw InquiryError.notFound("reply \(id)") }
        guard reply.authorID == actor.userID else { throw ReplyError.notAuthor }
        guard reply.state == .draft else { throw ReplyError.wrongState(reply.state, action: "edited") }
        return reply
    }

    /// One reply, or nil.
    func load(_ id: Int64, actor: AnsweringActor, texts: Bool, in tx: DatabaseTransaction) throws -> Reply? {
        try Replies.list(
            where: "r.id = ?", [.integer(id)], order: "r.id", reveal: actor.permits(.viewAddresses), texts: texts,
            in: tx
        ).first
    }

    private func list(
        where condition: String, _ arguments: [SQLValue], order: String, actor: AnsweringActor,
        in tx: DatabaseTransaction
    ) throws -> [Reply] {
        try Replies.list(
            where: condition, arguments, order: order, reveal: actor.permits(.viewAddresses), texts: false, in: tx)
    }

    /// Replies matching `condition` (SQL over `r`, the replies table).
    static func list(
        where condition: String, _ arguments: [SQLValue], order: String, reveal: Bool, texts: Bool,
        in tx: DatabaseTransaction
    ) throws -> [Reply] {
        let rows = try tx.rows(
            """
            SELECT r.id, r.inquiry_id, r.mailbox_id, r.author_id, r.answers_message_id, r.state, r.subject_enc,
                   \(texts ? "r.body_enc" : "NULL AS body_enc"), r.recipient_enc, r.status_after, r.version,
                   r.created_at, r.updated_at, r.queued_at, r.send_after, r.approver_id, r.approved_at,
                   r.returned_by, r.returned_at, r.return_comment_enc, r.message_id, r.attempts,
                   r.next_attempt_at, r.last_error_enc, r.sent_at, c.pseudonym,
                   a.display_name AS author_name, ap.display_name AS approver_name, rb.display_name AS returned_name
            FROM replies r
            JOIN inquiries i ON i.id = r.inquiry_id
            LEFT JOIN customers c ON c.id = i.customer_id
            LEFT JOIN users a ON a.id = r.author_id
            LEFT JOIN users ap ON ap.id = r.approver_id
            LEFT JOIN users rb ON rb.id = r.returned_by
            WHERE \(condition) ORDER BY \(order)
            """, arguments)
        return try rows.map { row in
            let id = row.int64("id") ?? 0
            func text(_ column: String) throws -> String? {
                try tx.openString(row[column], table: "replies", column: column, row: id)
            }
            let address = try text("recipient_enc")
            let recipient = reveal ? address : (address == nil ? nil : row.string("pseudonym"))
            return Reply(
                id: id, inquiryID: row.int64("inquiry_id") ?? 0, mailboxID: row.int64("mailbox_id") ?? 0,
                authorID: row.int64("author_id") ?? 0, authorName: row.string("author_name") ?? "",
                answersMessageID: row.int64("answers_message_id"),
                state: ReplyState(rawValue: row.string("state") ?? "") ?? .failed, subject: try text("subject_enc"),
                body: texts ? try text("body_enc") : nil, recipient: recipient,
                recipientRevealed: reveal && address != nil, statusAfter: row.string("status_after") ?? "done",
                version: row.int64("version") ?? 1, createdAt: row.int64("created_at") ?? 0,
                updatedAt: row.int64("updated_at") ?? 0, queuedAt: row.int64("queued_at"),
                sendAfter: row.int64("send_after"), approverID: row.int64("approver_id"),
                approverName: row.string("approver_name"), approvedAt: row.int64("approved_at"),
                returnedByID: row.int64("returned_by"), returnedByName: row.string("returned_name"),
                returnedAt: row.int64("returned_at"), returnComment: try text("return_comment_enc"),
                messageID: row.string("message_id"), attempts: Int(row.int64("attempts") ?? 0),
                nextAttemptAt: row.int64("next_attempt_at"), lastError: try text("last_error_enc"),
                sentAt: row.int64("sent_at"),
                attachments: texts ? try ReplyAttachments.list(of: id, in: tx) : [])
        }
    }

    /// The message a new draft answers and quotes.
    private struct Answered {
        var id: Int64
        var receivedAt: Int64
        var name: String?
        var text: String?
    }

    /// The customer message `message` of the inquiry, or its newest one when nil.
    private func answeredMessage(inquiry: Int64, message: Int64?, in tx: DatabaseTransaction) throws -> Answered? {
        let condition = message == nil ? "" : " AND id = ?"
        let arguments: [SQLValue] = [.integer(inquiry)] + (message.map { [.integer($0)] } ?? [])
        guard
            let row = try tx.rows(
                """
                SELECT id, received_at, from_name_enc, text_body_enc, html_body_enc FROM messages
                WHERE inquiry_id = ? AND direction = 'in'\(condition) ORDER BY received_at DESC, id DESC LIMIT 1
                """, arguments
            ).first, let id = row.int64("id")
        else {
            if let message { throw InquiryError.notFound("message \(message)") }
            return nil
        }
        func text(_ column: String) throws -> String? {
            try tx.openString(row[column], table: "messages", column: column, row: id)
        }
        let original = try text("text_body_enc") ?? text("html_body_enc").map(HTMLText.plain)
        return Answered(
            id: id, receivedAt: row.int64("received_at") ?? 0, name: try text("from_name_enc"), text: original)
    }

    // MARK: Helpers

    /// A subject on one line: controls, CR, LF, NUL, U+0085, U+2028 and U+2029 become
    /// blanks, outer blanks go (C1).
    static func cleanSubject(_ subject: String) -> String { ReplyQuote.oneLine(subject) }

    /// A body with LF line ends and without NUL.
    static func cleanBody(_ body: String) -> String {
        body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\0", with: "")
    }

    /// Sets an inquiry's status (not for one in the trash).
    static func setStatus(_ status: String, inquiry: Int64, now: Int64, in tx: DatabaseTransaction) throws {
        try tx.run(
            "UPDATE inquiries SET status = ?, updated_at = ? WHERE id = ? AND status <> 'trash'",
            [.text(status), .integer(now), .integer(inquiry)])
    }

    /// Unix seconds as the audit log's `Date`.
    static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: Double(seconds)) }
}
