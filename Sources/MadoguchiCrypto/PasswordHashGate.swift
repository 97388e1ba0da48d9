// PasswordHashGate: bounds how many scrypt computations run at once. Each costs
// ~128 MiB and ~0.6 s at N=2^17, so unbounded logins are a memory DoS (madoguchi-security(7) PASSWORDS).
// SECURITY: throttling and allow-listing still happen before a request reaches the gate.

import Dispatch

/// A counting gate shared by every `PasswordHasher` of a process.
public final class PasswordHashGate: Sendable {
    /// The default number of concurrent hashes (one per core of the reference VM).
    public static let defaultLimit = 2

    private let semaphore: DispatchSemaphore
    /// The most hashes allowed to run at once.
    public let limit: Int

    /// Creates a gate.
    /// - Parameter limit: concurrent hashes allowed (at least 1).
    public init(limit: Int = defaultLimit) {
        precondition(limit >= 1, "password hash gate needs a limit of at least 1")
        self.limit = limit
        semaphore = DispatchSemaphore(value: limit)
    }

    /// Runs `body` once a slot is free, blocking the calling thread until then.
    func run<R>(_ body: () throws -> R) rethrows -> R {
        semaphore.wait()
        defer { semaphore.signal() }
        return try body()
    }

    /// Takes a slot without running anything (tests use it to hold the gate shut).
    func acquire() { semaphore.wait() }

    /// Returns a slot taken with `acquire`.
    func release() { semaphore.signal() }
}
