// MailboxSession: the one interface fetch-forwarded-mail drives, implemented by
// POP3Session and IMAPSession. A session is used from one thread and ends with
// `close()`; deletions become final only when the session closes cleanly.

import MadoguchiCrypto

/// An authenticated, selected mailbox on a POP3 or IMAP server.
public protocol MailboxSession: AnyObject {
    /// The verified TLS layer (protocol, cipher, server certificate), or nil for `tls = none`.
    var tls: TLSConnection? { get }
    /// IMAP UIDVALIDITY, or "" for POP3. When it differs from the value stored
    /// by the last run, every remembered UID is void and the caller re-synchronises.
    var validity: String { get }
    /// Lists the messages in the mailbox (oldest first).
    /// - Throws: `FetchError`, `NetworkError`, `TLSError`.
    func list() throws -> [RemoteMessage]
    /// Streams one message into `sink`, exactly as the server sends it (after POP3
    /// dot-unstuffing): CRLF line ends as on the wire (Dovecot serves LF-only stored
    /// mail with CRLF; a POP3 server adds a final CRLF to an unterminated message,
    /// which the size check tolerates). The sink's data counts only when this
    /// returns; after any throw the caller discards what the sink received.
    /// - Returns: the number of bytes delivered.
    /// - Throws: `FetchError.messageTooLarge`, `.sizeMismatch` (the message must be
    ///   held, not deleted), `.messageVanished`, or a network error.
    func fetch(_ message: RemoteMessage, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int
    /// Marks messages for deletion (POP3 DELE, committed by `close()`; IMAP
    /// `\Deleted` plus EXPUNGE, immediate).
    /// - Throws: `FetchError`, `NetworkError`.
    func delete(_ messages: [RemoteMessage]) throws
    /// Ends the session (POP3 QUIT, IMAP LOGOUT) and closes the connection.
    /// - Throws: `FetchError`, `NetworkError` (the connection is closed anyway).
    func close() throws
}
