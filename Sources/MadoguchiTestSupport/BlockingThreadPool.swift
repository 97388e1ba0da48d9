// BlockingThreadPool: a task executor whose jobs never run on one of Swift
// concurrency's cooperative threads (one per core) and never wait behind another
// job, so a test that blocks (sockets, child processes, sleeps) holds only its own thread.

import Foundation

/// A task executor that runs each job on an idle thread of its own pool, or on a new
/// thread when none is idle. A job that blocks therefore delays no other job, and the
/// cooperative threads stay free for the tests that only compute.
///
/// Threads are kept for the rest of the process once started; their number is the
/// most jobs that were ever running or queued at once (the blocking tests admitted
/// by `BlocksThreadsTrait`, with their child tasks).
///
/// `@unchecked Sendable`: `jobs` and `idleThreads` are only touched under `condition`.
public final class BlockingThreadPool: TaskExecutor, @unchecked Sendable {
    /// The pool the `.blocksThreads` trait runs tests on.
    public static let shared = BlockingThreadPool()

    /// Stack size of each thread: the 8 MiB of a Linux main thread, so deep recursion
    /// in a test behaves as it does in the programs.
    static let stackSize = 8 << 20

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var idleThreads = 0

    /// Creates an empty pool; threads start on demand.
    public init() {}

    /// Queues `job` and makes sure a thread is free to take it at once.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        // Every queued job needs a thread of its own: wake an idle one, else start one.
        let start = idleThreads < jobs.count
        if !start { condition.signal() }
        condition.unlock()
        if start {
            let thread = Thread { [self] in
                Thread.current.threadDictionary[Self.marker] = true
                work()
            }
            thread.stackSize = Self.stackSize
            thread.start()
        }
    }

    private static let marker = "MadoguchiTestSupport.BlockingThreadPool"

    /// Whether the calling thread is a thread of a `BlockingThreadPool`.
    public static var isPoolThread: Bool {
        Thread.current.threadDictionary[marker] as? Bool ?? false
    }

    /// A pool thread: runs queued jobs, one at a time, for the rest of the process.
    private func work() {
        condition.lock()
        while true {
            while jobs.isEmpty {
                idleThreads += 1
                condition.wait()
                idleThreads -= 1
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
            condition.lock()
        }
    }
}
