// ScanAndFile+ScanLanes: the scanning threads. At most `lanes` spool files are read,
// scanned, parsed and tokenized at once, taken one by one in spool order from a queue
// that runs on across windows: a lane that finishes early takes the next window's
// first file instead of idling until the slowest file of its window is done.

import Dispatch
import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import Synchronization

extension ScanAndFile {
    /// Runs `work` for every file of the submitted windows on at most `lanes` threads.
    /// The filing thread submits windows; each lane is a `DispatchQueue.global()` task
    /// that takes files from `state` until none is left, then ends.
    final class ScanLanes: Sendable {
        private let lanes: Int
        private let work: @Sendable (PreparedWindow, Int) -> Void
        private let state = Mutex(Queue())

        /// The files not yet taken, in spool order, and how many lanes are running.
        private struct Queue {
            var files: [(window: PreparedWindow, index: Int)] = []
            var head = 0
            var running = 0
        }

        init(lanes: Int, work: @escaping @Sendable (PreparedWindow, Int) -> Void) {
            self.lanes = lanes
            self.work = work
        }

        /// Queues every file of `window`; its `group` is left once all are done.
        func submit(_ window: PreparedWindow) {
            let start = state.withLock { queue in
                for index in window.names.indices {
                    window.group.enter()
                    queue.files.append((window, index))
                }
                let start = min(lanes - queue.running, queue.files.count - queue.head)
                queue.running += start
                return start
            }
            for _ in 0..<max(0, start) {
                DispatchQueue.global().async { self.drain() }
            }
        }

        /// One lane: takes files until the queue is empty.
        private func drain() {
            while let (window, index) = next() {
                work(window, index)
                window.group.leave()
            }
        }

        private func next() -> (PreparedWindow, Int)? {
            state.withLock { queue in
                guard queue.head < queue.files.count else {
                    queue.files.removeAll(keepingCapacity: true)
                    queue.head = 0
                    queue.running -= 1
                    return nil
                }
                defer { queue.head += 1 }
                return queue.files[queue.head]
            }
        }
    }
}
