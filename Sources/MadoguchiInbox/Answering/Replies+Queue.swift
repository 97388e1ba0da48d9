// Replies+Queue: sending a draft and the undo window. `send` checks the draft, gives it
// our Message-ID and puts it in the outbox until `send_after` (or, in a mailbox that
// requires approval, into the approval queue); `cancel` takes it back to the editor
// while the window lasts. send-replies never takes a reply before `send_after`, and
// `cancel` and `Outbox.begin` both need state `queued`, so under the database's write
// lock exactly one of them wins.

import MadoguchiMail
import MadoguchiStore

extension Replies {
    /// Sends a draft: checks it (subject, body, recipient, the mailbox's From address),
    /// gives it a Message-ID (`Threading.outgoingMessageID`, host: the domain of the
    /// mailbox's From address) and queues it with `send_after` = now + `send_delay`
    /// (event `reply-queued`), or — when the mailbox requires approval — puts it in
    /// 承認待ち: state `awaiting_approval`, the inquiry `awaiting_approval`, event
    /// `approval-requested`. Audited as `reply-queue`. Releases the inquiry's lock.
    /// - Parameters:
    ///   - draft: `replies.id`.
    ///   - version: the version the editor last saved (nil skips the check).
    ///   - actor: the author.
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Returns: the reply as queued or awaiting approval.
    /// - Throws: `ReplyError` (`forbidden`, `notAuthor`, `wrongState`, `stale`,
    ///   `emptySubject`, `emptyBody`, `noRecipient`, `noFromAddress`, `unencodable`),
    ///   `InquiryError.notFound`, `StoreError`, `CryptoError`.
    @discardableResult
    public func send(draft: Int64, version: Int64? = nil, actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction)
        throws -> Reply
    {
        let current = try editable(draft, actor: actor, in: tx)
        if let version, version != current.version { throw ReplyError.stale(current: current.version) }
        let texts = try tx.fetch("replies", id: draft, columns: ["subject_enc", "body_enc", "recipient_enc"])
        guard let subject = texts?.string("subject_enc"), !subject.allSatisfy(\.isWhitespace) else {
            throw ReplyError.emptySubject
        }
        guard let body = texts?.string("body_enc"), !body.allSatisfy(\.isWhitespace) else {
            throw ReplyError.emptyBody
        }
        guard let recipient = texts?.string("recipient_enc"), !recipient.isEmpty else { throw ReplyError.noRecipient }
        let mailbox = try Mailboxes.replySettings(mailbox: current.mailboxID, in: tx)
        guard mailbox.fromAddress != nil, let host = mailbox.messageIDHost else { throw ReplyError.noFromAddress }
        // Refused here, where the author can still change the text, rather than by the
        // composer in send-replies after the undo window (the reply would fail there).
        let unencodable = MessageComposer.unencodableCharacters(
            in: [subject, body], charset: mailbox.charset.outgoing)
        if !unencodable.isEmpty { throw ReplyError.unencodable(count: unencodable.count) }
        let messageID: String
        do {
            messageID =
                try current.messageID
                ?? Threading.outgoingMessageID(
                    inquiryID: current.inquiryID, host: host, keys: keys)
        } catch is ThreadingError {
            throw ReplyError.noFromAddress
        }
        let state: ReplyState = mailbox.approvalRequired ? .awaitingApproval : .queued
        var values = RowValues()
        values.set("state", .text(state.rawValue))
        values.set("message_id", .text(messageID))
        values.set("queued_at", .integer(now))
        values.set("send_after", state == .queued ? .integer(now + configuration.sendDelay) : .null)
        values.set("attempts", 0)
        values.set("next_attempt_at", .null)
        values.set("attempt_at", .null)
        values.seal("last_error_enc", nil as String?)
        values.set("version", .integer(current.version + 1))
        values.set("updated_at", .integer(now))
        try tx.update("replies", id: draft, values)
        if state == .awaitingApproval {
            try Replies.setStatus("awaiting_approval", inquiry: current.inquiryID, now: now, in: tx)
            try InquiryEvents.append(
                .approvalRequested, inquiry: current.inquiryID, user: actor.userID, reply: draft, now: now, in: tx)
        } else {
            try InquiryEvents.append(
                .replyQueued, inquiry: current.inquiryID, user: actor.userID,
                detail: ["send_after": String(now + configuration.sendDelay)], reply: draft, now: now, in: tx)
        }
        // Sending ends the reply lock (collision prevention): the next reply starts afresh.
        _ = try ReplyLock.release(inquiry: current.inquiryID, reason: .sent, by: actor, now: now, in: tx)
        try AuditLog.append(
            actor.audit.event(
                .replyQueue, target: "reply:\(draft)",
                detail: AuditDetail.words(["inquiry": String(current.inquiryID), "state": state.rawValue])),
            in: tx, now: Replies.date(now))
        return try reloaded(draft, actor: actor, in: tx)
    }

    /// Takes a reply back to the editor as a draft: a queued reply only before its
    /// `send_after` (after it, `undoWindowOver`: send-replies may be sending it), or a
    /// reply still awaiting approval (the inquiry goes back to 対応中). Event
    /// `reply-cancelled`, audited as `reply-cancel`. Its author may cancel it, and so may
    /// the approver of an approved one.
    /// - Throws: `ReplyError` (`forbidden`, `notAuthor`, `undoWindowOver`, `wrongState`),
    ///   `InquiryError.notFound`, `StoreError`, `CryptoError`.
    @discardableResult
    public func cancel(reply id: Int64, actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction) throws -> Reply {
        try actor.require(.reply)
        let reply = try visible(id, actor: actor, in: tx)
        guard reply.authorID == actor.userID || (reply.approverID == actor.userID && reply.state == .queued) else {
            throw ReplyError.notAuthor
        }
        switch reply.state {
        case .queued:
            guard let sendAfter = reply.sendAfter, now < sendAfter, reply.attempts == 0 else {
                throw ReplyError.undoWindowOver
            }
        case .awaitingApproval:
            try Replies.setStatus("in_progress", inquiry: reply.inquiryID, now: now, in: tx)
        case .sending, .sent, .unconfirmed:
            throw ReplyError.undoWindowOver
        case .draft, .failed:
            throw ReplyError.wrongState(reply.state, action: "cancelled")
        }
        let changed = try tx.run(
            """
            UPDATE replies SET state = 'draft', queued_at = NULL, send_after = NULL, approver_id = NULL,
                approved_at = NULL, version = version + 1, updated_at = ? WHERE id = ? AND state = ?
            """, [.integer(now), .integer(id), .text(reply.state.rawValue)])
        guard changed == 1 else { throw ReplyError.undoWindowOver }
        try InquiryEvents.append(
            .replyCancelled, inquiry: reply.inquiryID, user: actor.userID, reply: id, now: now, in: tx)
        try AuditLog.append(actor.audit.event(.replyCancel, target: "reply:\(id)"), in: tx, now: Replies.date(now))
        return try reloaded(id, actor: actor, in: tx)
    }

    /// Seconds left of a queued reply's undo window (0 once it ended; nil when the reply
    /// is not queued) — for the cancel button's countdown.
    /// - Throws: `AnsweringError.notPermitted`, `InquiryError.notFound`, `StoreError`, `CryptoError`.
    public func timeLeft(reply id: Int64, actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction) throws
        -> Int64?
    {
        try visible(id, actor: actor, in: tx).timeLeft(now: now)
    }

    /// A reply the actor may see (`read_mail`; drafts only their author), without texts.
    func visible(_ id: Int64, actor: AnsweringActor, in tx: DatabaseTransaction) throws -> Reply {
        try actor.require(.readMail)
        guard let reply = try load(id, actor: actor, texts: false, in: tx),
            reply.state != .draft || reply.authorID == actor.userID
        else { throw InquiryError.notFound("reply \(id)") }
        return reply
    }

    /// The reply as it is now, with texts.
    func reloaded(_ id: Int64, actor: AnsweringActor, in tx: DatabaseTransaction) throws -> Reply {
        guard let reply = try load(id, actor: actor, texts: true, in: tx) else {
            throw InquiryError.notFound("reply \(id)")
        }
        return reply
    }
}
