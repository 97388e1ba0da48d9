// ParsedMessage: everything later stages need from one message: raw bytes, top
// header fields, decoded envelope-ish fields, the body texts, attachments and
// the verdict. Built only by MessageParser.

/// A parsed message. All text is decoded Unicode; `raw` is kept unchanged.
public struct ParsedMessage: Sendable {
    /// The message exactly as received.
    public let raw: [UInt8]
    /// Top-level header fields in order.
    public let headers: HeaderFields
    /// The decoded, unfolded Subject, or nil if absent.
    public let subject: String?
    /// The From mailboxes.
    public let from: [MailAddress]
    /// The To mailboxes (all To fields, groups flattened).
    public let to: [MailAddress]
    /// The Cc mailboxes (all Cc fields, groups flattened).
    public let cc: [MailAddress]
    /// The Reply-To mailboxes.
    public let replyTo: [MailAddress]
    /// The Date as Unix seconds (UTC), nil if missing or invalid.
    public let date: Int64?
    /// The Message-ID without angle brackets.
    public let messageID: String?
    /// The first In-Reply-To id without angle brackets.
    public let inReplyTo: String?
    /// The References ids in order, without angle brackets.
    public let references: [String]
    /// The text/plain body (LF line ends), nil if there is none.
    public let textBody: String?
    /// The first text/html body part (LF line ends), nil if there is none.
    public let htmlBody: String?
    /// Every non-body leaf, in document order.
    public let attachments: [MailAttachment]
    /// `.ok`, or `.malformed(reason:)` when a limit was hit.
    public let verdict: ParseVerdict
}
