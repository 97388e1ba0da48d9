// Reply: one reply as the editor, the thread and the approval queue show it.
// SECURITY: `recipient` is the customer's address only for a caller with
// `view_addresses`; for everyone else it is the customer's pseudonym
// (madoguchi-security(7) A26: the editor shows where the reply goes). The body and the
// return comment are the reply's own text; the page escapes everything.

/// A reply with its history.
public struct Reply: Sendable, Equatable {
    /// `replies.id`.
    public var id: Int64
    /// The inquiry it answers.
    public var inquiryID: Int64
    /// The mailbox it is sent from.
    public var mailboxID: Int64
    /// The author (`users.id`) and display name.
    public var authorID: Int64
    public var authorName: String
    /// The customer message it answers (its quote and In-Reply-To), if still there.
    public var answersMessageID: Int64?
    /// Where it is.
    public var state: ReplyState
    /// The subject and body; nil only for a reply read without its texts
    /// (`Replies.replies(of:)`).
    public var subject: String?
    public var body: String?
    /// Where it goes: the address (revealed) or the customer's pseudonym (masked).
    public var recipient: String?
    /// Whether `recipient` is the real address.
    public var recipientRevealed: Bool
    /// The inquiry status it sets once sent (`in_progress` or `done`).
    public var statusAfter: String
    /// Counts saves; `Replies.save` refuses an edit made on an older version.
    public var version: Int64
    /// Unix times.
    public var createdAt: Int64
    public var updatedAt: Int64
    public var queuedAt: Int64?
    /// The end of the undo window (queued) — what the cancel button counts down to.
    public var sendAfter: Int64?
    /// Who approved it, when.
    public var approverID: Int64?
    public var approverName: String?
    public var approvedAt: Int64?
    /// Who returned it, when, and why (the comment is shown in the editor).
    public var returnedByID: Int64?
    public var returnedByName: String?
    public var returnedAt: Int64?
    public var returnComment: String?
    /// Its Message-ID, once sent or queued.
    public var messageID: String?
    /// Delivery attempts that failed temporarily, and when the next one may run.
    public var attempts: Int
    public var nextAttemptAt: Int64?
    /// The last answer of the relay or the bounce reason (escape it), if any.
    public var lastError: String?
    /// When the relay accepted it.
    public var sentAt: Int64?
    /// Its attachments, in order (metadata only).
    public var attachments: [ReplyAttachments.Info]

    /// Seconds left of the undo window at `now` (0 once it has ended, nil unless queued).
    public func timeLeft(now: Int64) -> Int64? {
        guard state == .queued, let sendAfter else { return nil }
        return max(0, sendAfter - now)
    }
}
