// SMTPRecipientRefusal: one envelope recipient the relay refused at RCPT TO, with
// its reply, so the caller can show which address failed and why.

/// A recipient refused by the relay.
public struct SMTPRecipientRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The envelope address as sent.
    public var recipient: String
    /// The relay's reply to its RCPT TO.
    public var reply: SMTPReply

    /// Creates a refusal.
    public init(recipient: String, reply: SMTPReply) {
        self.recipient = recipient
        self.reply = reply
    }

    /// `<address>: 550 5.1.1 text`.
    public var description: String { "<\(recipient)>: \(reply)" }
}
