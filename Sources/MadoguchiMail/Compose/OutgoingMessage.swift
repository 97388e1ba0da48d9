// OutgoingMessage: what a reply says, before it is composed. Every field may come
// from an operator (subject, text, attachments) or from an inbound message (the
// customer's address and name, In-Reply-To, References): MessageComposer
// validates or cleans each one, none is copied into the header block as it is.

import Foundation

/// A reply to compose.
public struct OutgoingMessage: Sendable {
    /// The sender (the mailbox's address); also the SMTP envelope sender.
    public var from: OutgoingAddress
    /// The one recipient (the customer); also the only SMTP recipient.
    public var to: OutgoingAddress
    /// The subject as typed: line breaks and other controls become spaces (C1),
    /// leading and trailing blanks are dropped, non-ASCII text is sent as RFC 2047
    /// encoded words.
    public var subject: String
    /// The body as typed: CR, LF and CRLF (and NEL, U+2028, U+2029) end lines and are
    /// sent as CRLF (C4); other controls but TAB and form feed become spaces.
    public var text: String
    /// The charset of subject and body. Display names the charset cannot carry are
    /// sent as UTF-8 encoded words instead (a customer's name is not the operator's to change).
    public var charset: OutgoingCharset
    /// The reply's own Message-ID, with or without angle brackets; it must be valid.
    public var messageID: String
    /// The Message-ID of the message answered; dropped when invalid (C3).
    public var inReplyTo: String?
    /// The References of the message answered, oldest first; invalid ids are dropped
    /// (C3), `inReplyTo` is appended when missing, and only the first and the last 19
    /// are kept.
    public var references: [String]
    /// When the reply is sent (the Date header).
    public var date: Date
    /// The zone the Date header is written in (its offset, e.g. `+0900`).
    public var timeZone: TimeZone
    /// Files sent with the reply (multipart/mixed when there are any).
    public var attachments: [OutgoingAttachment]

    /// Creates a reply.
    /// - Parameters:
    ///   - from: the sender.
    ///   - to: the recipient.
    ///   - subject: the subject.
    ///   - text: the body text.
    ///   - charset: the charset of subject and body (default UTF-8).
    ///   - messageID: the reply's Message-ID.
    ///   - inReplyTo: the answered message's Message-ID, if any.
    ///   - references: the answered message's References.
    ///   - date: the Date header's moment.
    ///   - timeZone: the Date header's zone (default UTC).
    ///   - attachments: attached files.
    public init(
        from: OutgoingAddress, to: OutgoingAddress, subject: String, text: String, charset: OutgoingCharset = .utf8,
        messageID: String, inReplyTo: String? = nil, references: [String] = [], date: Date,
        timeZone: TimeZone = TimeZone(secondsFromGMT: 0)!, attachments: [OutgoingAttachment] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.charset = charset
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
        self.timeZone = timeZone
        self.attachments = attachments
    }
}
