// ComposedMessage: the bytes handed to SMTP DATA and the envelope that goes with
// them. The envelope is the one validated From and To, never read back from the
// header block (C2).

/// A composed message and its SMTP envelope.
public struct ComposedMessage: Sendable, Equatable {
    /// The message: CRLF line ends only, every byte below 0x80, no line longer than
    /// 998 octets; not dot-stuffed (the SMTP client does that, RFC 5321 section 4.5.2).
    public let bytes: [UInt8]
    /// The MAIL FROM address: the From addr-spec.
    public let envelopeFrom: String
    /// The RCPT TO addresses: exactly the To addr-spec.
    public let recipients: [String]
}
