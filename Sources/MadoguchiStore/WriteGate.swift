// WriteGate: the first-come-first-served lock the writers of one process queue on
// (Database.writeGate). NSLock hands itself to whichever waiter wakes first: under 32
// concurrent inquiry views (an audited write each) some waited over half a second
// while others went through again and again.

import Foundation

/// A FIFO (ticket) lock.
///
/// `@unchecked Sendable`: `next` and `serving` are read and written only while
/// holding `condition`.
public final class WriteGate: NSLocking, @unchecked Sendable {
    private let condition = NSCondition()
    private var next: UInt64 = 0
    private var serving: UInt64 = 0

    /// Creates an unlocked gate.
    public init() {}

    /// Waits for every earlier caller to unlock, then holds the gate.
    public func lock() {
        condition.lock()
        let ticket = next
        next += 1
        while serving != ticket { condition.wait() }
        condition.unlock()
    }

    /// Callers holding or waiting for the gate.
    public var queued: UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return next - serving
    }

    /// Lets the next caller in.
    public func unlock() {
        condition.lock()
        serving += 1
        condition.broadcast()
        condition.unlock()
    }
}
