// ScanAndFileCounts: what one scan-and-file run did, recorded in `job_runs.counts`.

import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// Per-run counters.
public struct ScanAndFileCounts: Sendable, Equatable {
    /// Filed into an inquiry (malformed ones included).
    public var filed: Int64 = 0
    /// Already filed or quarantined (a re-run after a crash); spool file removed.
    public var duplicate: Int64 = 0
    /// Filed with a parser verdict of malformed.
    public var malformed: Int64 = 0
    /// Infected: stored in quarantine.
    public var quarantined: Int64 = 0
    /// Left in the spool for the next run (no verdict, database busy).
    public var waiting: Int64 = 0
    /// Spool files that could not be opened, moved to `hold/`.
    public var held: Int64 = 0
    /// Failed with a permanent error; left in the spool.
    public var failed: Int64 = 0

    /// Zero counts.
    public init() {}

    /// The counters by name, for `JobRun.finish`.
    public var dictionary: [String: Int64] {
        [
            "filed": filed, "duplicate": duplicate, "malformed": malformed, "quarantined": quarantined,
            "waiting": waiting, "held": held, "failed": failed,
        ]
    }
}
