// InboxEntry: one line of the operator's inbox.
// SECURITY: the subject and the customer's name are customer text (the page escapes
// them); the customer's name and address are decrypted only for a caller allowed
// to see them, otherwise only the pseudonym is there.

/// One inquiry as the inbox lists it.
public struct InboxEntry: Sendable, Equatable {
    /// `inquiries.id`.
    public var id: Int64
    /// One of `InquirySummary.statuses`.
    public var status: String
    /// The decrypted subject (nil if none was stored).
    public var subject: String?
    /// The customer's pseudonym (nil when the sender had no usable address).
    public var customerPseudonym: String?
    /// The customer's display name, only when revealed and known.
    public var customerName: String?
    /// The customer's address, only when revealed.
    public var customerAddress: String?
    /// The customer's `customers.id` (an id, not an address), or nil.
    public var customerID: Int64?
    /// The mailbox name.
    public var mailbox: String
    /// The assignee's display name, or nil when unassigned.
    public var assignee: String?
    /// The assignee's `users.id`, or nil.
    public var assigneeID: Int64?
    /// Unix time of the newest message.
    public var lastMessageAt: Int64
    /// Unix time the inquiry was created (its first message filed).
    public var createdAt: Int64
    /// `inquiries.flags`.
    public var flags: InquiryFlags
    /// Whether it has a message the viewing operator has not seen (never opened, or a
    /// message newer than their last view); false when no viewer was named.
    public var unread = false

    /// Creates a value.
    public init(
        id: Int64, status: String, subject: String?, customerPseudonym: String?, customerName: String? = nil,
        customerAddress: String? = nil, customerID: Int64? = nil, mailbox: String, assignee: String? = nil,
        assigneeID: Int64? = nil, lastMessageAt: Int64, createdAt: Int64, flags: InquiryFlags = []
    ) {
        self.id = id
        self.status = status
        self.subject = subject
        self.customerPseudonym = customerPseudonym
        self.customerName = customerName
        self.customerAddress = customerAddress
        self.customerID = customerID
        self.mailbox = mailbox
        self.assignee = assignee
        self.assigneeID = assigneeID
        self.lastMessageAt = lastMessageAt
        self.createdAt = createdAt
        self.flags = flags
    }

    /// Where the page after this entry starts.
    public var cursor: InboxCursor { InboxCursor(lastMessageAt: lastMessageAt, id: id) }
}
