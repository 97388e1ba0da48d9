// SpoolSequence: the order stamp of spool files — their modification time, set by the
// writer to nanoseconds since the epoch, strictly increasing within a process. The
// spool is filed in this order, so a reply fetched in the same second (or the same
// clock tick) as the message it answers is never filed first.

import Glibc
import Synchronization

/// Order stamps for spool files.
enum SpoolSequence {
    /// The last stamp handed out, in nanoseconds.
    private static let lastStamp = Mutex<Int64>(0)

    /// The next stamp: the clock in nanoseconds, or one more than the last stamp if the
    /// clock has not moved on (coarse file-system clocks, a clock set back).
    static func next() -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        let stamp = lastStamp.withLock { last in
            last = max(nanoseconds, last + 1)
            return last
        }
        return timespec(tv_sec: Int(stamp / 1_000_000_000), tv_nsec: Int(stamp % 1_000_000_000))
    }
}
