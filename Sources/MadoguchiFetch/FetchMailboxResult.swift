// FetchMailboxResult: what one mailbox of a fetch run did: messages spooled, deleted,
// left on the server (too large, or held back), and the escaped, password-free error
// with its exit status.

import MadoguchiCore

/// The outcome of one mailbox in a fetch run.
public struct FetchMailboxResult: Sendable, Equatable {
    /// The mailbox name.
    public var mailbox: String
    /// Messages written to the spool.
    public var spooled = 0
    /// Messages deleted on the server.
    public var deleted = 0
    /// Messages left on the server because they are larger than `mail_max_message_size`.
    public var oversize = 0
    /// Messages held on the server because of a per-message problem (size mismatch).
    public var held = 0
    /// Messages fetched and stored but left on the server for now (IMAP without UIDPLUS
    /// while other messages are flagged `\Deleted`, B10); a later run deletes them.
    public var undeleted = 0
    /// What did not fail the mailbox but needs attention: messages held or too large
    /// on the server, deletions put off. Escaped, password-free.
    public var warnings: [String] = []
    /// Why the mailbox failed (escaped, password-free), or nil.
    public var error: String?
    /// The exit status: the failure's (75 when transient); without a failure 65 when a
    /// message stays on the server until a person acts (held, oversize), 75 when only
    /// deletions were put off; otherwise `.ok`.
    public var exitCode: SysExit = .ok

    /// `ok`, `warning` (fetched, with `warnings`), `tempfail` or `failed`.
    public var outcome: String {
        if error != nil { return exitCode == .tempFail ? "tempfail" : "failed" }
        return warnings.isEmpty ? "ok" : "warning"
    }

    /// Creates an empty result.
    public init(mailbox: String) { self.mailbox = mailbox }
}
