// CrashPoint: named places where the crash-safety tests (B7) kill a program with
// SIGKILL, to prove that a crash at any step loses and doubles nothing.
// SECURITY: compiled only into DEBUG builds; in release builds `reach` does nothing
// and the environment variable is never read.

import Glibc
import Synchronization

/// Named crash points for the crash-safety tests.
public enum CrashPoint {
    /// The environment variable naming the point: `name` (first time) or `name:n` (n-th time).
    public static let environmentVariable = "MADOGUCHI_CRASH_AT"

    #if DEBUG
        /// Hits so far; atomic because the fetcher's spool writer threads pass points too.
        private static let hits = Atomic<Int>(0)
        private static let target: (name: String, count: Int)? = {
            guard let raw = getenv(environmentVariable) else { return nil }
            let text = String(cString: raw)
            let parts = text.split(separator: ":", maxSplits: 1)
            guard let name = parts.first.map(String.init), !name.isEmpty else { return nil }
            let count = parts.count == 2 ? Int(parts[1]) ?? 1 : 1
            return (name, max(1, count))
        }()
    #endif

    /// Kills the process with SIGKILL when this is the configured point and hit count.
    public static func reach(_ name: String) {
        #if DEBUG
            guard let target, target.name == name else { return }
            if hits.add(1, ordering: .relaxed).newValue == target.count { kill(getpid(), SIGKILL) }
        #endif
    }
}
