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
    /// Streams several messages without a round trip each where the protocol allows
    /// it (POP3 PIPELINING, RFC 2449; IMAP one UID FETCH per batch), and hands each
    /// one to `each` complete, in the order the server sends them: its bytes,
    /// or the per-message failure after which the session is still in step
    /// (`.sizeMismatch`: hold it; `.messageVanished`: forget it). The next messages
    /// may already be on their way while `each` runs.
    /// - Parameters:
    ///   - messages: from `list()`, each within `mail_max_message_size`.
    ///   - each: called once per message; what it throws ends the call.
    /// - Throws: any other `FetchError`, a network error, or what `each` throws; the
    ///   session is then unusable (for POP3 nothing is deleted, as no QUIT follows).
    func fetchAll(
        _ messages: [RemoteMessage], _ each: (RemoteMessage, Result<[UInt8], FetchError>) throws -> Void
    ) throws
    /// Marks messages for deletion (POP3 DELE, committed by `close()`; IMAP
    /// `\Deleted` plus EXPUNGE, immediate).
    /// - Returns: the messages left on the server for now (IMAP without UIDPLUS while
    ///   other messages are flagged `\Deleted`, B10); they are deleted by a later run.
    /// - Throws: `FetchError`, `NetworkError`.
    @discardableResult
    func delete(_ messages: [RemoteMessage]) throws -> [RemoteMessage]
    /// Ends the session (POP3 QUIT, IMAP LOGOUT) and closes the connection.
    /// - Throws: `FetchError`, `NetworkError` (the connection is closed anyway).
    func close() throws
}

extension MailboxSession {
    /// One `fetch` after the other, each collected into memory.
    public func fetchAll(
        _ messages: [RemoteMessage], _ each: (RemoteMessage, Result<[UInt8], FetchError>) throws -> Void
    ) throws {
        for message in messages {
            var raw: [UInt8] = []
            raw.reserveCapacity(message.size + 2)
            let outcome: Result<[UInt8], FetchError>
            do {
                _ = try fetch(message) { raw.append(contentsOf: $0) }
                outcome = .success(raw)
            } catch let error as FetchError {
                switch error {
                case .sizeMismatch, .messageVanished: outcome = .failure(error)
                default: throw error
                }
            }
            try each(message, outcome)
        }
    }
}
