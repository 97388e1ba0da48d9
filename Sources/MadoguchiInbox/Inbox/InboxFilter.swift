// InboxFilter: what the operator's inbox shows — one status (or every status but the
// trash), whose inquiries (anyone's, one user's, nobody's), one mailbox, and
// optionally only the inquiries a search found.

/// The filter of one inbox page.
public struct InboxFilter: Sendable, Equatable {
    /// Whose inquiries.
    public enum Assignee: Sendable, Equatable {
        /// Every inquiry.
        case anyone
        /// Those assigned to this user (`users.id`).
        case user(Int64)
        /// Those assigned to nobody.
        case unassigned
    }

    /// Only this status (one of `InquirySummary.statuses`); nil for every status but `trash`.
    public var status: String?
    /// Whose inquiries.
    public var assignee: Assignee
    /// Only this mailbox (`mailboxes.id`); nil for all.
    public var mailboxID: Int64?
    /// Only these inquiries (a search's results); nil for no such limit.
    public var inquiryIDs: [Int64]?

    /// Creates a filter; the defaults show every inquiry not in the trash.
    public init(
        status: String? = nil, assignee: Assignee = .anyone, mailboxID: Int64? = nil, inquiryIDs: [Int64]? = nil
    ) {
        self.status = status
        self.assignee = assignee
        self.mailboxID = mailboxID
        self.inquiryIDs = inquiryIDs
    }
}
