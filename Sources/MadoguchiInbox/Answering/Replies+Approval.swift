// Replies+Approval: the approval queue of mailboxes that require approval
// (`madoguchi mailbox set NAME --approval on`). A user with `approve` approves a reply
// — it is queued with a fresh undo window — or returns it to its author as a draft
// with a comment. Nobody approves their own reply, administrators included.

import MadoguchiStore

extension Replies {
    /// Approves a reply awaiting approval: queued with `send_after` = now + `send_delay`
    /// (the approver's undo window), the approver recorded, the inquiry back to 対応中,
    /// event `approved`, audited as `reply-approve`.
    /// - Throws: `ReplyError` (`forbidden` without `approve`, `ownReply`, `wrongState`),
    ///   `InquiryError.notFound`, `StoreError`, `CryptoError`.
    @discardableResult
    public func approve(reply id: Int64, actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction) throws -> Reply
    {
        try actor.require(.approve)
        let reply = try visible(id, actor: actor, in: tx)
        guard reply.authorID != actor.userID else { throw ReplyError.ownReply }
        guard reply.state == .awaitingApproval else { throw ReplyError.wrongState(reply.state, action: "approved") }
        try tx.run(
            """
            UPDATE replies SET state = 'queued', queued_at = ?, send_after = ?, approver_id = ?, approved_at = ?,
                version = version + 1, updated_at = ? WHERE id = ?
            """,
            [
                .integer(now), .integer(now + configuration.sendDelay), .integer(actor.userID), .integer(now),
                .integer(now), .integer(id),
            ])
        try Replies.setStatus("in_progress", inquiry: reply.inquiryID, now: now, in: tx)
        try InquiryEvents.append(
            .approved, inquiry: reply.inquiryID, user: actor.userID,
            detail: ["send_after": String(now + configuration.sendDelay)], reply: id, now: now, in: tx)
        try AuditLog.append(actor.audit.event(.replyApprove, target: "reply:\(id)"), in: tx, now: Replies.date(now))
        return try reloaded(id, actor: actor, in: tx)
    }

    /// Returns a reply awaiting approval to its author as a draft with a comment (sealed,
    /// shown in the editor); the inquiry goes back to 対応中; event `returned` (the
    /// comment as its text), audited as `reply-return` (without the comment).
    /// - Parameters:
    ///   - id: `replies.id`.
    ///   - comment: why; must not be blank.
    ///   - actor: the approver (needs `approve`).
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Throws: `ReplyError` (`forbidden`, `emptyComment`, `wrongState`),
    ///   `InquiryError.notFound`, `StoreError`, `CryptoError`.
    @discardableResult
    public func returnToAuthor(
        reply id: Int64, comment: String, actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction
    ) throws -> Reply {
        try actor.require(.approve)
        let reply = try visible(id, actor: actor, in: tx)
        guard reply.state == .awaitingApproval else { throw ReplyError.wrongState(reply.state, action: "returned") }
        let text = Replies.cleanBody(comment)
        guard !text.allSatisfy(\.isWhitespace) else { throw ReplyError.emptyComment }
        guard text.utf8.count <= Replies.maximumCommentBytes else { throw ReplyError.bodyTooLong }
        var values = RowValues()
        values.set("state", .text(ReplyState.draft.rawValue))
        values.set("queued_at", .null)
        values.set("send_after", .null)
        values.set("returned_by", .integer(actor.userID))
        values.set("returned_at", .integer(now))
        values.seal("return_comment_enc", text)
        values.set("version", .integer(reply.version + 1))
        values.set("updated_at", .integer(now))
        try tx.update("replies", id: id, values)
        try Replies.setStatus("in_progress", inquiry: reply.inquiryID, now: now, in: tx)
        try InquiryEvents.append(
            .returned, inquiry: reply.inquiryID, user: actor.userID, text: text, reply: id, now: now, in: tx)
        try AuditLog.append(actor.audit.event(.replyReturn, target: "reply:\(id)"), in: tx, now: Replies.date(now))
        return try reloaded(id, actor: actor, in: tx)
    }

    /// The replies awaiting approval, oldest first (subjects, no bodies), optionally of
    /// one mailbox — the approval queue page.
    /// - Throws: `AnsweringError.notPermitted` without `approve`, `StoreError`, `CryptoError`.
    public func awaitingApproval(mailbox: Int64? = nil, actor: AnsweringActor, in tx: DatabaseTransaction) throws
        -> [Reply]
    {
        try actor.require(.approve)
        var condition = "r.state = 'awaiting_approval'"
        var arguments: [SQLValue] = []
        if let mailbox {
            condition += " AND r.mailbox_id = ?"
            arguments.append(.integer(mailbox))
        }
        return try Replies.list(
            where: condition, arguments, order: "r.queued_at, r.id", reveal: actor.permits(.viewAddresses),
            texts: false, in: tx)
    }
}
