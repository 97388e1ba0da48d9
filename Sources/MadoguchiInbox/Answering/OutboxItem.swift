// OutboxItem: everything send-replies needs to compose and send one due reply, decrypted.
// SECURITY: holds the customer's address and the reply's texts in memory only; the
// composer validates every header value again (C1–C4).

import MadoguchiMail

/// One reply ready to be sent.
public struct OutboxItem: Sendable, Equatable {
    /// `replies.id`.
    public var replyID: Int64
    /// Its inquiry.
    public var inquiryID: Int64
    /// The one recipient: the envelope's RCPT TO and the `To` field (C2).
    public var recipient: String
    /// The mailbox's reply From address (`mailboxes.reply_from`) and display name.
    public var fromAddress: String
    public var fromName: String?
    /// The subject (one line, with the verified inquiry tag) and the body (LF line ends).
    public var subject: String
    public var body: String
    /// `utf-8` or `iso-2022-jp` (`mailboxes.reply_charset`).
    public var charset: String
    /// Our Message-ID, with angle brackets (`Threading.outgoingMessageID`).
    public var messageID: String
    /// The Message-ID of the answered message, with angle brackets, if it had one.
    public var inReplyTo: String?
    /// The answered message's References followed by its Message-ID (RFC 5322,
    /// section 3.6.4), with angle brackets, at most `Outbox.maximumReferences` (the
    /// first and the newest kept).
    public var references: [String]
    /// The attachments, with their safe names and bytes.
    public var attachments: [MailAttachment]
    /// The `Date` to write (Unix seconds): the time `Outbox.due` ran.
    public var date: Int64
    /// Temporary failures so far.
    public var attempts: Int
}
