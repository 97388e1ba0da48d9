// InboxCounts: the numbers of the inbox's sidebar — inquiries per status, and per
// mailbox outside the trash — and the mailboxes to filter by.

/// Sidebar counts of the inbox.
public struct InboxCounts: Sendable, Equatable {
    /// One mailbox with its number of inquiries not in the trash.
    public struct Mailbox: Sendable, Equatable {
        /// `mailboxes.id`.
        public var id: Int64
        /// Its name.
        public var name: String
        /// Inquiries not in the trash.
        public var count: Int

        /// Creates a value.
        public init(id: Int64, name: String, count: Int) {
            self.id = id
            self.name = name
            self.count = count
        }
    }

    /// Inquiries per status (every status of `InquirySummary.statuses` is present).
    public var byStatus: [String: Int]
    /// Every mailbox, by name.
    public var mailboxes: [Mailbox]

    /// Creates a value.
    public init(byStatus: [String: Int], mailboxes: [Mailbox]) {
        self.byStatus = byStatus
        self.mailboxes = mailboxes
    }
}
