// MailboxConnector: opens the right MailboxSession (POP3 or IMAP) for an account,
// so fetch-forwarded-mail never deals with protocol details.

import MadoguchiCore

/// Opens mailbox sessions.
public enum MailboxConnector {
    /// Connects, secures, logs in and (IMAP) selects INBOX.
    /// - Parameters:
    ///   - account: the mailbox.
    ///   - limits: timeouts and size bounds.
    ///   - log: the program's logger (`plaintext` use is warned about here).
    /// - Returns: a ready session; call `close()` when done.
    /// - Throws: `FetchError`, `TLSError`, `NetworkError`.
    public static func open(_ account: FetchAccount, limits: FetchLimits, log: Log) throws -> any MailboxSession {
        if account.isPlaintextOverNetwork && !account.allowPlaintext {
            throw FetchError.plaintextRefused(mailbox: account.name, host: account.host)
        }
        if account.tls == .none {
            log.warning("\(account.name): tls = none, credentials and mail travel in plaintext")
        }
        switch account.mailProtocol {
        case .pop3: return try POP3Session.open(account, limits: limits, log: log)
        case .imap: return try IMAPSession.open(account, limits: limits, log: log)
        }
    }
}
