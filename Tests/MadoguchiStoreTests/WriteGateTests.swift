// WriteGate: callers get the gate in the order they asked for it, one at a time.

import Foundation
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct WriteGateTests {
    @Test("first come, first served; never two at once", .timeLimit(.minutes(1)))
    func order() throws {
        let gate = WriteGate()
        let lock = NSLock()
        nonisolated(unsafe) var order: [Int] = []
        nonisolated(unsafe) var inside = 0
        nonisolated(unsafe) var overlap = false
        gate.lock()
        let done = DispatchGroup()
        for index in 0..<6 {
            done.enter()
            Thread {
                gate.lock()
                lock.withLock {
                    inside += 1
                    overlap = overlap || inside > 1
                    order.append(index)
                }
                Thread.sleep(forTimeInterval: 0.002)
                lock.withLock { inside -= 1 }
                gate.unlock()
                done.leave()
            }.start()
            // The next thread starts only once this one is queued.
            let deadline = Date().addingTimeInterval(10)
            while gate.queued < UInt64(index + 2) && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        }
        gate.unlock()
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(order == Array(0..<6))
        #expect(!overlap && gate.queued == 0)
    }
}
