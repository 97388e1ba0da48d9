// InquiryEventKind: what happened on an inquiry, as the `inquiry_events.kind` CHECK of
// migration 9 lists it. The raw values are stored, so they must never change.

/// The kind of an `inquiry_events` row; the raw value is the stored `kind` text.
public enum InquiryEventKind: String, Sendable, CaseIterable {
    /// The assignee changed; detail `from`/`to` user ids (absent for nobody).
    case assigned = "assigned"
    /// The status changed; detail `from`/`to`.
    case status = "status"
    /// An internal note (社内メモ); the text is in `text_enc`, never sent to a customer.
    case note = "note"
    /// An operator started a reply and holds the reply lock.
    case lock = "lock"
    /// The reply lock was released; detail `reason`.
    case unlock = "unlock"
    /// An operator took the reply lock from another; detail `from` (the previous holder's id).
    case takeOver = "take-over"
    /// A reply went into the outbox (undo window).
    case replyQueued = "reply-queued"
    /// A queued reply was cancelled in its undo window (back to a draft).
    case replyCancelled = "reply-cancelled"
    /// A reply waits for approval (承認待ち).
    case approvalRequested = "approval-requested"
    /// A reply was approved and queued.
    case approved = "approved"
    /// A reply was returned to its author with a comment (in `text_enc`).
    case returned = "returned"
    /// send-replies delivered a reply to the relay.
    case replySent = "reply-sent"
    /// A delivery attempt failed temporarily and will be retried.
    case replyRetry = "reply-retry"
    /// The relay refused a reply permanently; its answer is in `text_enc`.
    case replyFailed = "reply-failed"
    /// A delivery attempt ended without knowing whether the relay took the reply.
    case replyUnconfirmed = "reply-unconfirmed"
}
