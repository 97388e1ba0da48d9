// ScanAndFile+Unlinker: removes committed spool files on a background queue, so the
// filing thread goes on with the next window; `finish` waits, then syncs the directory
// once. A file is handed over only after the commit that stored its message, and a
// crash before its unlink only leaves a duplicate the next run removes.

import Dispatch
import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

extension ScanAndFile {
    /// The background remover of committed spool files. `@unchecked Sendable`: its
    /// mutable state is touched only on `queue` (serial) or after `queue.sync`.
    final class Unlinker: @unchecked Sendable {
        private let directory: String
        private let queue = DispatchQueue(label: "scan-and-file.unlink")
        private var failure: SystemError?
        private var removed = 0
        private var seconds = 0.0

        init(directory: String) { self.directory = directory }

        /// Queues the removal of files whose messages are committed.
        func remove(_ names: [String]) {
            queue.async {
                let start = Monotonic.now()
                for name in names where self.failure == nil {
                    CrashPoint.reach("before-unlink")
                    let path = self.directory + "/" + name
                    if unlink(path) == 0 || errno == ENOENT {
                        self.removed += 1
                    } else {
                        self.failure = SystemError.current("unlink \(path)")
                    }
                }
                self.seconds += Monotonic.now() - start
            }
        }

        /// Waits for the queued removals and makes them durable (one directory fsync).
        /// - Returns: the seconds spent unlinking and syncing.
        /// - Throws: the first unlink failure, or `SystemError` from the fsync.
        func finish() throws -> Double {
            let (failure, removed, seconds) = queue.sync { (self.failure, self.removed, self.seconds) }
            if let failure { throw failure }
            guard removed > 0 else { return seconds }
            let start = Monotonic.now()
            try DurableFile.syncDirectory(directory)
            return seconds + Monotonic.now() - start
        }
    }
}
