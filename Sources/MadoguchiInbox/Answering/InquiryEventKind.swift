// InquiryEventKind: the kinds of `inquiry_events` rows (migration 9's CHECK list).
// MINIMAL STAND-IN for the workflow branch's file of the same name: the lead keeps
// theirs at the merge.

/// What an inquiry event records; the raw value is the stored `kind`.
public enum InquiryEventKind: String, Sendable, Equatable, CaseIterable {
    case assigned = "assigned"
    case status = "status"
    case note = "note"
    case lock = "lock"
    case unlock = "unlock"
    case takeOver = "take-over"
    case replyQueued = "reply-queued"
    case replyCancelled = "reply-cancelled"
    case approvalRequested = "approval-requested"
    case approved = "approved"
    case returned = "returned"
    case replySent = "reply-sent"
    case replyRetry = "reply-retry"
    case replyFailed = "reply-failed"
    case replyUnconfirmed = "reply-unconfirmed"
}
