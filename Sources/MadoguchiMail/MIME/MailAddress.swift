// MailAddress: one mailbox from an address header (From, To, Cc, Reply-To):
// the decoded display name and the lower-cased addr-spec.

/// A mailbox: display name and address.
public struct MailAddress: Sendable, Equatable {
    /// The decoded display name (RFC 2047, RFC 6532 UTF-8), or nil if none.
    public let name: String?
    /// The lower-cased addr-spec, e.g. `taro@example.jp`; empty for the null address `<>`.
    public let address: String

    /// Creates a mailbox.
    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }
}
