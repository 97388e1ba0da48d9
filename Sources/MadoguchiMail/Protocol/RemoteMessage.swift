// RemoteMessage: a message on the server as a MailboxSession lists it at the start
// of a session (POP3 UIDL or IMAP UID, and its size).

/// A message on the server as listed at the start of a session.
public struct RemoteMessage: Sendable, Hashable {
    /// The stable id: the IMAP UID (decimal) or the POP3 UIDL.
    public let uid: String
    /// The size the server announced (RFC822.SIZE or LIST), in bytes.
    public let size: Int

    /// Creates a listing entry.
    public init(uid: String, size: Int) {
        self.uid = uid
        self.size = size
    }
}
