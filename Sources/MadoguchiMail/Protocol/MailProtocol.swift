// MailProtocol: the mail access protocol of a forwarded mailbox, POP3 (RFC 1939) or
// IMAP4rev1 (RFC 3501), as named by `protocol` in the accounts file.

/// The mail access protocol of a mailbox.
public enum MailProtocol: String, Sendable, Equatable, CaseIterable {
    /// POP3 (RFC 1939).
    case pop3
    /// IMAP4rev1 (RFC 3501).
    case imap
}
