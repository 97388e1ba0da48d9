// JobRunRecord: a `job_runs` row as read back by `madoguchi status` and the web page.
// Clear metadata only (program, times, outcome, counters).

/// A recorded job run.
public struct JobRunRecord: Sendable, Equatable {
    /// Row id.
    public let id: Int64
    /// Program name.
    public let program: String
    /// Unix time of the start.
    public let startedAt: Int64
    /// Unix time of the end, nil while running (or after a crash).
    public let endedAt: Int64?
    /// How it ended.
    public let outcome: JobOutcome
    /// The exit status, nil while running.
    public let exitCode: Int32?
    /// Named counters.
    public let counts: [String: Int64]
    /// The clear-text summary.
    public let message: String?

    init(row: Row, counts: [String: Int64]) {
        id = row.int64("id") ?? 0
        program = row.string("program") ?? ""
        startedAt = row.int64("started_at") ?? 0
        endedAt = row.int64("ended_at")
        outcome = JobOutcome(rawValue: row.string("outcome") ?? "") ?? .failed
        exitCode = row.int64("exit_code").map { Int32(truncatingIfNeeded: $0) }
        message = row.string("message")
        self.counts = counts
    }
}
