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
import Synchronization

extension ScanAndFile {
    /// The background remover of committed spool files. Unlinks run one batch at a time
    /// on `queue` (serial); `finish`, on the filing thread, waits for them with
    /// `queue.sync` before it reads `state`.
    final class Unlinker: Sendable {
        private let directory: String
        private let queue = DispatchQueue(label: "scan-and-file.unlink")
        private let state = Mutex(Progress())

        /// What the unlinks did so far: the first failure (no unlink is tried after it),
        /// the files removed and the seconds spent.
        private struct Progress {
            var failure: SystemError?
            var removed = 0
            var seconds = 0.0
        }

        init(directory: String) { self.directory = directory }

        /// Queues the removal of files whose messages are committed.
        func remove(_ names: [String]) {
            queue.async {
                self.state.withLock { progress in
                    let start = Monotonic.now()
                    for name in names where progress.failure == nil {
                        CrashPoint.reach("before-unlink")
                        let path = self.directory + "/" + name
                        if unlink(path) == 0 || errno == ENOENT {
                            progress.removed += 1
                        } else {
                            progress.failure = SystemError.current("unlink \(path)")
                        }
                    }
                    progress.seconds += Monotonic.now() - start
                }
            }
        }

        /// Waits for the queued removals and makes them durable (one directory fsync).
        /// - Returns: the seconds spent unlinking and syncing.
        /// - Throws: the first unlink failure, or `SystemError` from the fsync.
        func finish() throws -> Double {
            queue.sync {}
            let progress = state.withLock { $0 }
            if let failure = progress.failure { throw failure }
            guard progress.removed > 0 else { return progress.seconds }
            let start = Monotonic.now()
            try DurableFile.syncDirectory(directory)
            return progress.seconds + Monotonic.now() - start
        }
    }
}
