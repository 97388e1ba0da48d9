// CommitGroup: group commit for the short writes of a server's connection threads
// (Database.writeGrouped), such as the audit entry every inquiry view writes. A
// caller queues its write and waits; whichever caller finds no batch running takes
// every queued write, runs them one after another in ONE write transaction on its
// own connection — each inside a savepoint of its own, so a write that throws is
// rolled back alone and only its caller gets the error — and commits once. Every
// caller returns only after the commit that holds its write (or with the error
// that kept it out), so "written before the data is returned" still holds; the
// writes stay separate statements in order, so appends to a hash chain chain as
// they would one transaction each. One fsync then serves many requests: 32
// concurrent inquiry views queued one fsync each behind the write gate.

import Dispatch
import Foundation

/// A queue of writes committed together.
///
/// `@unchecked Sendable`: `pending`, `leading`, `committed` and each job's outcome are
/// read and written only while holding `lock`; a job's body runs on the leader's
/// thread while its caller is blocked waiting for it.
public final class CommitGroup: @unchecked Sendable {
    private final class Job {
        let body: (DatabaseTransaction) throws -> Void
        /// Signalled once: when the job is done, or when its caller is to lead.
        let wake = DispatchSemaphore(value: 0)
        var done = false
        var error: (any Error)?

        init(_ body: @escaping (DatabaseTransaction) throws -> Void) { self.body = body }
    }

    private let lock = NSLock()
    private var pending: [Job] = []
    /// A caller is running a batch. While one is, every queued job waits in `pending`
    /// for it; while none is, `pending` is empty.
    private var leading = false
    private var committed: UInt64 = 0
    /// The most writes one transaction takes.
    public let maximumBatch: Int

    /// Creates an empty group.
    /// - Parameter maximumBatch: the most writes one transaction takes (at least 1).
    public init(maximumBatch: Int = 64) { self.maximumBatch = max(1, maximumBatch) }

    /// Transactions the group has run (committed or not), for tests.
    public var transactions: UInt64 { lock.withLock { committed } }

    /// Writes queued and not yet taken into a transaction, for tests.
    public var queued: Int { lock.withLock { pending.count } }

    /// Queues `body` and returns once the transaction that ran it has committed.
    /// Each waiting caller is woken exactly once: when its write is committed, or when
    /// it is the oldest still queued and the batch before it is done, to run the next
    /// batch itself (a broadcast to every waiter woke them all after each commit, only
    /// for most to wait again).
    /// - Parameters:
    ///   - body: the write; it must not block for long (other callers wait for it).
    ///   - database: the caller's database, used when the caller runs the batch.
    /// - Throws: what `body` throws (its changes rolled back), or what beginning or
    ///   committing the shared transaction throws.
    func submit(_ body: @escaping (DatabaseTransaction) throws -> Void, on database: Database) throws {
        let job = Job(body)
        lock.lock()
        pending.append(job)
        let leads = !leading
        leading = true
        lock.unlock()
        if !leads { job.wake.wait() }
        if !job.done { lead(on: database) }
        if let error = job.error { throw error }
    }

    /// Runs the oldest queued jobs (the caller's own first among them) in one
    /// transaction, marks them done, wakes their callers, and hands the lead to the
    /// oldest job still queued, if any.
    private func lead(on database: Database) {
        lock.lock()
        let batch = Array(pending.prefix(maximumBatch))
        pending.removeFirst(batch.count)
        lock.unlock()
        let errors = Self.run(batch, on: database)
        lock.lock()
        for (job, error) in zip(batch, errors) {
            job.error = error
            job.done = true
        }
        committed += 1
        let next = pending.first
        leading = next != nil
        lock.unlock()
        // The leader's own job is the first of its batch, and it is not waiting.
        for job in batch.dropFirst() { job.wake.signal() }
        next?.wake.signal()
    }

    /// Runs `batch` in one write transaction, each job in a savepoint of its own.
    /// - Returns: each job's error, nil for the jobs that committed.
    private static func run(_ batch: [Job], on database: Database) -> [(any Error)?] {
        var errors: [(any Error)?] = Array(repeating: nil, count: batch.count)
        do {
            try database.write { tx in
                for (index, job) in batch.enumerated() {
                    try tx.run("SAVEPOINT grouped")
                    do {
                        try job.body(tx)
                    } catch {
                        errors[index] = error
                        try tx.run("ROLLBACK TO grouped")
                    }
                    try tx.run("RELEASE grouped")
                }
            }
        } catch {
            // Nothing of the batch was committed.
            for index in errors.indices where errors[index] == nil { errors[index] = error }
        }
        return errors
    }
}
