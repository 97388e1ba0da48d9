// SpoolWriter: seals and writes the spool files of one mailbox on a few worker
// threads, so that their fsyncs overlap (the journal commits concurrent fsyncs
// together: on a busy disk one fsync took 6 ms, eight at once 0.3 ms each) while the
// session reads the next messages. Each file is still written, fsync'ed and only
// then linked into incoming/ (Spool.deliver); the caller records a message as taken,
// and deletes it on the server, only after `takeStored()` or `drain()` returned it
// and incoming/ was synced after that.

import Foundation
import MadoguchiCore
import MadoguchiMail

/// Delivers messages to the spool on worker threads.
///
/// Threads: the fetch thread calls `submit`, `drain` and `stop`; `workers` threads run
/// `work()`. `@unchecked Sendable`: every mutable property is read and written only
/// while holding `condition`; `spool` and `seal` are immutable and Sendable.
final class SpoolWriter: @unchecked Sendable {
    /// One message handed to the writer.
    struct Job: Sendable {
        /// The server's id of the message.
        var uid: String
        /// The raw message.
        var raw: [UInt8]
        /// Its spool metadata.
        var envelope: SpoolEnvelope
        /// Its place in spool order, taken when the fetch thread took the message (the
        /// worker threads finish in any order).
        var order: timespec = Spool.nextOrder()
    }

    /// One message durably in `incoming/` (its directory entry still to be synced).
    struct Stored: Sendable {
        /// The server's id of the message.
        var uid: String
        /// The spool file name.
        var name: String
        /// Whether the file was there already (the same message fetched before).
        var existed: Bool
    }

    /// Worker threads: enough concurrent fsyncs for the journal to batch them.
    static let workers = 8
    /// At most this many bytes of messages wait or are being written (at least one message).
    static let maxQueuedBytes = 32 << 20

    private let spool: Spool
    private let seal: @Sendable ([UInt8]) throws -> [UInt8]
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var queuedBytes = 0
    private var busy = 0
    private var stored: [Stored] = []
    private var failure: (any Error)?
    private var stopping = false
    private var running = 0

    /// Starts the worker threads; they hold the writer until `stop()`, which the owner
    /// must call.
    /// - Parameters:
    ///   - spool: where the files go.
    ///   - seal: encrypts a record to the spool public key.
    init(spool: Spool, seal: @escaping @Sendable ([UInt8]) throws -> [UInt8]) {
        self.spool = spool
        self.seal = seal
        running = Self.workers
        for _ in 0..<Self.workers {
            let thread = Thread { [self] in work() }
            thread.start()
        }
    }

    /// Queues a message; waits while `maxQueuedBytes` are queued or being written.
    /// After a failure nothing more is written (the failure comes from `drain`).
    func submit(_ job: Job) {
        condition.lock()
        defer { condition.unlock() }
        while queuedBytes > 0 && queuedBytes + job.raw.count > Self.maxQueuedBytes { condition.wait() }
        guard failure == nil else { return }
        queue.append(job)
        queuedBytes += job.raw.count
        condition.broadcast()
    }

    /// Waits until every queued message is written.
    /// - Returns: the messages stored since the last call, and the first failure, if any.
    func drain() -> (stored: [Stored], failure: (any Error)?) {
        condition.lock()
        defer { condition.unlock() }
        while !queue.isEmpty || busy > 0 { condition.wait() }
        let result = (stored, failure)
        stored = []
        return result
    }

    /// The messages stored since the last call, without waiting for the others, and
    /// the first failure, if any: the writers go on while the caller records these.
    func takeStored() -> (stored: [Stored], failure: (any Error)?) {
        condition.lock()
        defer { condition.unlock() }
        let result = (stored, failure)
        stored = []
        return result
    }

    /// Stops the workers (after the queue is empty) and waits for them to end. Idempotent.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    private func work() {
        condition.lock()
        while true {
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let job = queue.removeFirst()
            busy += 1
            let skip = failure != nil
            condition.unlock()
            var outcome: Result<Stored, any Error>?
            if !skip {
                do {
                    let (name, existed) = try spool.deliver(
                        job.raw, envelope: job.envelope, syncDirectory: false, order: job.order, seal: seal)
                    outcome = .success(Stored(uid: job.uid, name: name, existed: existed))
                } catch {
                    outcome = .failure(error)
                }
            }
            condition.lock()
            busy -= 1
            queuedBytes -= job.raw.count
            switch outcome {
            case .success(let done)?: stored.append(done)
            case .failure(let error)?: failure = failure ?? error
            case nil: break
            }
            condition.broadcast()
        }
    }
}
