// JobOutcome: how a cron-job run ended, as recorded in `job_runs.outcome` (running, ok,
// partial, tempfail, failed), and the outcome an exit status implies.

import MadoguchiCore

/// How a job run ended.
public enum JobOutcome: String, Sendable, CaseIterable {
    /// Still running (or crashed before finishing).
    case running
    /// Everything done.
    case ok
    /// Finished, but some items failed (exit non-zero after continuing).
    case partial
    /// A transient failure; the next run retries (exit 75).
    case tempFail = "tempfail"
    /// A permanent failure.
    case failed

    /// The outcome implied by an exit status.
    public init(_ exit: SysExit) {
        switch exit {
        case .ok: self = .ok
        case .tempFail: self = .tempFail
        default: self = .failed
        }
    }
}
