// FiledSample: the row ids of a sample inquiry filed by Database+Fixture.

/// Row ids of a filed sample.
public struct FiledSample: Sendable, Equatable {
    /// `mailboxes.id`.
    public let mailboxID: Int64
    /// `customers.id`.
    public let customerID: Int64
    /// `inquiries.id`.
    public let inquiryID: Int64
    /// `messages.id`.
    public let messageID: Int64
    /// `attachments.id`.
    public let attachmentID: Int64
}
