// Monotonic: the monotonic clock (CLOCK_MONOTONIC) in seconds, for deadlines and timeouts.

import Glibc

/// Monotonic clock in seconds, for deadlines.
public enum Monotonic {
    /// Seconds since an arbitrary fixed point; never goes backwards.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
