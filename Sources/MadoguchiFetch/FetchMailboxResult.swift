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
    /// Why the mailbox failed (escaped, password-free), or nil.
    public var error: String?
    /// The exit status the failure maps to (75 when transient), or `.ok`.
    public var exitCode: SysExit = .ok

    /// Creates an empty result.
    public init(mailbox: String) { self.mailbox = mailbox }
}
