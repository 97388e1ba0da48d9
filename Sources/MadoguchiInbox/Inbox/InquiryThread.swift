// InquiryThread: one inquiry as the operator's page shows it — the inquiry, its whole
// thread oldest first with each message's intake flags and attachments (metadata
// only), its timeline (who assigned, changed, noted, replied, and when), the reply
// lock's holder, and the customer's other inquiries.
// SECURITY: everything here is customer text (the page escapes it). Addresses (From,
// To, Cc, Reply-To) are decrypted only for a caller allowed to see them; the HTML
// part is not loaded here (InquiryView.html sanitizes it for its sandboxed frame).

import MadoguchiMail

/// One inquiry with its thread.
public struct InquiryThread: Sendable, Equatable {
    /// One message of the thread.
    public struct Message: Sendable, Equatable {
        /// `messages.id`.
        public var id: Int64
        /// `in` (from the customer) or `out` (our reply).
        public var direction: String
        /// Unix time it was received (or sent).
        public var receivedAt: Int64
        /// The decrypted subject.
        public var subject: String?
        /// The sender's display name (shown even when addresses are hidden).
        public var fromName: String?
        /// The sender's address, only when revealed.
        public var fromAddress: String?
        /// To, only when revealed.
        public var to: [MailAddress]
        /// Cc, only when revealed.
        public var cc: [MailAddress]
        /// Reply-To, only when revealed.
        public var replyTo: [MailAddress]
        /// The text to show (the text part, or the text of the HTML part).
        public var text: String?
        /// Whether there is an HTML part (shown only on request, sanitized, framed).
        public var hasHTML: Bool
        /// The intake flags.
        public var flags: MessageFlags
        /// Why the parser called the message malformed, or nil.
        public var malformedReason: String?
        /// Its attachments, in order.
        public var attachments: [Attachment]

        /// Creates a value.
        public init(
            id: Int64, direction: String, receivedAt: Int64, subject: String?, fromName: String?, fromAddress: String?,
            to: [MailAddress], cc: [MailAddress], replyTo: [MailAddress], text: String?, hasHTML: Bool,
            flags: MessageFlags, malformedReason: String?, attachments: [Attachment]
        ) {
            self.id = id
            self.direction = direction
            self.receivedAt = receivedAt
            self.subject = subject
            self.fromName = fromName
            self.fromAddress = fromAddress
            self.to = to
            self.cc = cc
            self.replyTo = replyTo
            self.text = text
            self.hasHTML = hasHTML
            self.flags = flags
            self.malformedReason = malformedReason
            self.attachments = attachments
        }
    }

    /// One attachment's metadata (the content is only ever a download).
    public struct Attachment: Sendable, Equatable {
        /// `attachments.id`.
        public var id: Int64
        /// The decrypted file name as the sender gave it (nil if none).
        public var filename: String?
        /// The declared content type (shown, never used to render).
        public var contentType: String
        /// Size in bytes.
        public var size: Int

        /// Creates a value.
        public init(id: Int64, filename: String?, contentType: String, size: Int) {
            self.id = id
            self.filename = filename
            self.contentType = contentType
            self.size = size
        }
    }

    /// The inquiry itself.
    public var inquiry: InboxEntry
    /// The inquiry this one claimed to continue without proof (A25), or nil.
    public var claimedInquiryID: Int64?
    /// The thread, oldest first.
    public var messages: [Message]
    /// The customer's other inquiries, newest activity first (at most
    /// `InquiryView.relatedLimit`).
    public var related: [InboxEntry]
    /// The timeline, oldest first: the page shows each event between the messages by
    /// its time (internal notes included: the page is internal).
    public var events: [InquiryEvent]
    /// Who holds the reply lock (is writing a reply), or nil.
    public var lock: ReplyLock.Holder?

    /// Creates a value.
    public init(
        inquiry: InboxEntry, claimedInquiryID: Int64?, messages: [Message], related: [InboxEntry],
        events: [InquiryEvent] = [], lock: ReplyLock.Holder? = nil
    ) {
        self.inquiry = inquiry
        self.claimedInquiryID = claimedInquiryID
        self.messages = messages
        self.related = related
        self.events = events
        self.lock = lock
    }

    /// About how many bytes the thread holds, for `ListCache`'s budget: its texts, and a
    /// few hundred bytes for each message, attachment, event and related inquiry.
    var textBytes: Int {
        messages.reduce(0) { sum, message in
            sum + 512 + 128 * message.attachments.count + (message.text?.utf8.count ?? 0)
                + (message.subject?.utf8.count ?? 0)
        } + events.reduce(0) { $0 + 256 + ($1.text?.utf8.count ?? 0) } + 512 * (related.count + 1)
    }
}
