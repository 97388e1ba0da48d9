// IndexTokens: the blind search tokens of one message (subject and body columns of
// `message_search`), computed before the write transaction — scan-and-file does it on
// its scanning threads — and inserted in it by `SearchIndex.add(_:messageID:in:)`.
// SECURITY: tokens are keyed HMACs, never text; they are bound to one mailbox id.

/// The search tokens of one message for one mailbox.
public struct IndexTokens: Sendable, Equatable {
    /// The mailbox whose keys made the tokens (the message must be filed there).
    public let mailboxID: Int64
    /// Space-separated subject tokens (empty for no subject).
    let subject: String
    /// Space-separated body tokens (empty for no body).
    let body: String
}
