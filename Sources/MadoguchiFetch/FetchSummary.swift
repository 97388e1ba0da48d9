// FetchSummary: the counts of one fetch run over all its mailboxes, for the log and
// the status file, and the run's exit status (75 if any failure was transient).

import MadoguchiCore

/// Counts of one fetch run, for logs and the fetcher's status file.
public struct FetchSummary: Sendable, Equatable {
    /// One result per mailbox, in run order.
    public var mailboxes: [FetchMailboxResult] = []

    /// Creates an empty summary.
    public init() {}

    /// Messages written to the spool.
    public var spooled: Int { mailboxes.reduce(0) { $0 + $1.spooled } }
    /// Messages deleted on servers.
    public var deleted: Int { mailboxes.reduce(0) { $0 + $1.deleted } }
    /// Messages left on servers because they are too large.
    public var oversize: Int { mailboxes.reduce(0) { $0 + $1.oversize } }
    /// Mailboxes that failed.
    public var failedMailboxes: Int { mailboxes.filter { $0.error != nil }.count }

    /// 0 when every mailbox was fetched cleanly, 75 when any failure (or put-off
    /// deletion) was transient, otherwise the highest permanent code (65 for a
    /// message held or too large on the server).
    public var exitCode: SysExit {
        let codes = mailboxes.map(\.exitCode).filter { $0 != .ok }
        if codes.isEmpty { return .ok }
        if codes.contains(.tempFail) { return .tempFail }
        return codes.max { $0.rawValue < $1.rawValue } ?? .software
    }
}
