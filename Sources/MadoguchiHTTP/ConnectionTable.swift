// ConnectionTable: the deadline of every open connection, and the reaper that
// enforces them: a thread that wakes every 100 ms and shuts down (shutdown(2), not
// close) each socket past its deadline, so the blocked read or write in its
// connection thread returns at once. Deadlines are absolute per connection and phase
// (handshake, header, body, idle), never a sweep triggered by new traffic. A slot is
// released under the lock before its descriptor is closed, so the reaper never
// touches a descriptor number that has been reused. Deadlines are atomics outside
// the lock: each request moves its connection's deadline three times, and 32
// connection threads on 2 cores spun on the table's mutex for a tenth of the
// server's CPU time (perf, inbox page).

import Glibc
import MadoguchiCore
import Synchronization

/// Open connections' descriptors and deadlines.
final class ConnectionTable: Sendable {
    private struct Slot {
        var fd: Int32 = -1
        var fired = false
    }

    /// One slot's deadline (the bit pattern of a `Monotonic.now()` based Double).
    private final class Deadline: Sendable {
        let bits = Atomic<UInt64>(Double.infinity.bitPattern)

        var value: Double { Double(bitPattern: bits.load(ordering: .acquiring)) }

        func set(_ deadline: Double) { bits.store(deadline.bitPattern, ordering: .releasing) }
    }

    private struct State {
        var slots: [Slot]
        var free: [Int]
        var stopping = false
    }

    private let state: Mutex<State>
    private let deadlines: [Deadline]

    /// A table for at most `capacity` connections.
    init(capacity: Int) {
        state = Mutex(State(slots: Array(repeating: Slot(), count: capacity), free: Array((0..<capacity).reversed())))
        deadlines = (0..<capacity).map { _ in Deadline() }
    }

    /// Registers a descriptor; returns its slot, or nil when the table is full.
    func register(_ fd: Int32, deadline: Double) -> Int? {
        state.withLock { state in
            guard let slot = state.free.popLast() else { return nil }
            deadlines[slot].set(deadline)
            state.slots[slot] = Slot(fd: fd, fired: false)
            return slot
        }
    }

    /// Sets the slot's deadline (`Monotonic.now()` based; `.infinity` for none).
    func setDeadline(_ slot: Int, _ deadline: Double) {
        deadlines[slot].set(deadline)
    }

    /// True when the reaper shut the slot's socket down (its deadline passed).
    func expired(_ slot: Int) -> Bool {
        state.withLock { $0.slots[slot].fired }
    }

    /// Forgets the slot; the caller closes the descriptor afterwards.
    func release(_ slot: Int) {
        state.withLock { state in
            state.slots[slot] = Slot()
            deadlines[slot].set(.infinity)
            state.free.append(slot)
        }
    }

    /// Shuts down every socket past its deadline (or every socket when stopping).
    /// - Returns: false once `stop()` was called.
    func reap() -> Bool {
        let now = Monotonic.now()
        return state.withLock { state in
            for index in state.slots.indices where state.slots[index].fd >= 0 && !state.slots[index].fired {
                if state.stopping || deadlines[index].value < now {
                    shutdown(state.slots[index].fd, Int32(SHUT_RDWR))
                    state.slots[index].fired = true
                }
            }
            return !state.stopping
        }
    }

    /// Marks the table stopping: the next `reap()` shuts every socket down.
    func stop() {
        state.withLock { $0.stopping = true }
    }

    /// Runs the reaper until `stop()`: one pass every 100 ms.
    func runReaper() {
        while reap() {
            usleep(100_000)
        }
        _ = reap()
    }
}
