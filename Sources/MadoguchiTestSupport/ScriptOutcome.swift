// ScriptOutcome: what the scripted fake servers (FakeServer, ClamdFakeServer) share:
// the errors their scripts threw and a "served everything" signal a test can wait on.

import Foundation

/// Errors a fake server's script threw, and whether the server has finished.
///
/// `@unchecked Sendable`: `errors` and `done` are only touched under `condition`. It is
/// an NSCondition rather than a `Mutex` because `waitUntilDone` sleeps until `finish`
/// signals, and a Mutex has no condition to wait on.
public final class ScriptOutcome: @unchecked Sendable {
    private let condition = NSCondition()
    private var errors: [String] = []
    private var done = false

    /// Creates an empty outcome.
    public init() {}

    /// Errors thrown by the script (a hostile script often ends with "client gone").
    public var scriptErrors: [String] {
        condition.lock()
        defer { condition.unlock() }
        return errors
    }

    /// Records an error thrown by the script.
    public func record(_ error: any Error) {
        condition.lock()
        errors.append("\(error)")
        condition.unlock()
    }

    /// Marks the server finished and wakes every waiter.
    public func finish() {
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the server finished or `timeout` seconds passed.
    /// - Returns: true when finished.
    @discardableResult
    public func waitUntilDone(timeout: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let limit = Date(timeIntervalSinceNow: timeout)
        while !done {
            if !condition.wait(until: limit) { return done }
        }
        return true
    }
}
