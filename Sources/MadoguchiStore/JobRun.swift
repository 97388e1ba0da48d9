// JobRun: records one cron-job run in `job_runs` (start → finish with outcome, exit code,
// counts), each in its own short transaction so it survives a rollback of the job's work.
// SECURITY: the message is clear text: callers pass ids and reasons, never customer data.

import Foundation
import MadoguchiCore

/// One run of a cron job, recorded when it starts and updated when it ends.
public final class JobRun {
    /// The `job_runs` row id.
    public let id: Int64
    /// The program name (e.g. `scan-and-file`).
    public let program: String
    /// Unix time of the start.
    public let startedAt: Int64
    private let connection: Connection
    /// True once `finish` has recorded the end.
    public private(set) var isFinished = false

    /// Longest message stored, in characters.
    public static let maximumMessageLength = 500

    private init(id: Int64, program: String, startedAt: Int64, connection: Connection) {
        self.id = id
        self.program = program
        self.startedAt = startedAt
        self.connection = connection
    }

    /// Records the start of a run (outcome `running`). Runs of the same program still
    /// marked `running` were killed (programs are solitary: the caller holds the
    /// program's lock), so they are closed as `failed` with the message "interrupted".
    /// - Parameters:
    ///   - program: the program name.
    ///   - connection: a connection outside any transaction.
    ///   - now: Unix time.
    /// - Throws: `StoreError` (busy is transient).
    public static func start(program: String, connection: Connection, now: Int64 = JobRun.now()) throws -> JobRun {
        let id = try connection.write { db in
            try db.run(
                """
                UPDATE job_runs SET outcome = 'failed', ended_at = max(started_at, ?), message = 'interrupted'
                WHERE program = ? AND outcome = 'running'
                """, [.integer(now), .text(program)])
            try db.run(
                "INSERT INTO job_runs (program, started_at, outcome) VALUES (?, ?, 'running')",
                [.text(program), .integer(now)])
            return db.lastInsertRowID
        }
        return JobRun(id: id, program: program, startedAt: now, connection: connection)
    }

    /// Records the end of the run.
    /// - Parameters:
    ///   - exit: the program's exit status.
    ///   - outcome: defaults to the one implied by `exit`; pass `.partial` when some items failed.
    ///   - counts: named counters (`[a-z0-9_]` names), stored as a JSON object.
    ///   - message: a short clear-text summary (escaped, truncated), never customer data.
    ///   - now: Unix time.
    /// - Throws: `StoreError`.
    public func finish(
        exit: SysExit, outcome: JobOutcome? = nil, counts: [String: Int64] = [:], message: String? = nil,
        now: Int64 = JobRun.now()
    ) throws {
        guard !isFinished else { throw SQLiteHandle.misuse("job run \(id) finished twice") }
        let finalOutcome = outcome ?? JobOutcome(exit)
        guard finalOutcome != .running else { throw SQLiteHandle.misuse("a finished run cannot be running") }
        let json = try JobRun.encode(counts)
        let text = message.map { String(Log.escape($0).prefix(JobRun.maximumMessageLength)) }
        try connection.write { db in
            try db.run(
                "UPDATE job_runs SET ended_at = ?, outcome = ?, exit_code = ?, counts = ?, message = ? WHERE id = ?",
                [
                    .integer(now), .text(finalOutcome.rawValue), .int(exit.rawValue), .text(json), .optional(text),
                    .integer(id),
                ])
        }
        isFinished = true
    }

    /// The most recent run of a program, if any.
    /// - Throws: `StoreError`.
    public static func latest(program: String, connection: Connection) throws -> JobRunRecord? {
        guard
            let row = try connection.rows(
                """
                SELECT id, program, started_at, ended_at, outcome, exit_code, message FROM job_runs
                WHERE program = ? ORDER BY started_at DESC, id DESC LIMIT 1
                """, [.text(program)]
            ).first, let id = row.int64("id")
        else { return nil }
        var counts: [String: Int64] = [:]
        for entry in try connection.rows(
            "SELECT key, value FROM json_each((SELECT counts FROM job_runs WHERE id = ?))", [.integer(id)])
        {
            if let key = entry.string("key"), let value = entry.int64("value") { counts[key] = value }
        }
        return JobRunRecord(row: row, counts: counts)
    }

    /// The current Unix time in seconds.
    public static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// Encodes counters as a JSON object with sorted keys.
    static func encode(_ counts: [String: Int64]) throws -> String {
        var parts: [String] = []
        for (name, value) in counts.sorted(by: { $0.key < $1.key }) {
            guard DatabaseTransaction.isIdentifier(name) else {
                throw SQLiteHandle.misuse("invalid counter name")
            }
            parts.append("\"\(name)\":\(value)")
        }
        return "{" + parts.joined(separator: ",") + "}"
    }
}
