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

extension ScanAndFile {
    /// Runs `work` for every file of the submitted windows on at most `lanes` threads.
    /// `@unchecked Sendable`: the queue is touched only under `lock`.
    final class ScanLanes: @unchecked Sendable {
        private let lanes: Int
        private let work: @Sendable (PreparedWindow, Int) -> Void
        private let lock = NSLock()
        private var queue: [(window: PreparedWindow, index: Int)] = []
        private var head = 0
        private var running = 0

        init(lanes: Int, work: @escaping @Sendable (PreparedWindow, Int) -> Void) {
            self.lanes = lanes
            self.work = work
        }

        /// Queues every file of `window`; its `group` is left once all are done.
        func submit(_ window: PreparedWindow) {
            var start = 0
            lock.withLock {
                for index in window.names.indices {
                    window.group.enter()
                    queue.append((window, index))
                }
                start = min(lanes - running, queue.count - head)
                running += start
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
            lock.withLock {
                guard head < queue.count else {
                    queue.removeAll(keepingCapacity: true)
                    head = 0
                    running -= 1
                    return nil
                }
                defer { head += 1 }
                return queue[head]
            }
        }
    }
}
