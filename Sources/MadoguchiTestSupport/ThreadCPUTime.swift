// ThreadCPUTime: the CPU time the calling thread spends in a closure, for the "linear
// time" and "no scrypt work" assertions, which must hold however busy the machine is.

import Glibc

/// Measures work by the CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`,
/// clock_gettime(2)): what a parse or a cipher costs, without the time other threads
/// and processes had the core, which wall time on a loaded machine also counts.
public enum ThreadCPUTime {
    /// The CPU time the calling thread spent running `body`, which must do all its work
    /// on the calling thread (as synchronous single-threaded code does).
    /// - Throws: whatever `body` throws.
    public static func measure(_ body: () throws -> Void) rethrows -> Duration {
        let start = now()
        try body()
        return now() - start
    }

    private static func now() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }
}
