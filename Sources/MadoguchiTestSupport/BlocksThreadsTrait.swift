// BlocksThreadsTrait: `.blocksThreads` for tests that block a thread (sockets, child
// processes, sleeps, waitpid, semaphores). Swift Testing runs test bodies on the
// cooperative threads, one per core, and a `.timeLimit` starts before the body gets
// one; these tests are admitted a few at a time and run on threads of their own.

import Foundation
import Synchronization
import Testing

/// A trait for a test function, or every test function of a suite, that blocks threads.
///
/// Each test function it applies to
/// - first waits for one of `width` admissions, before any of its time limits starts
///   (Swift Testing applies the scope of a test function outside its test cases' time
///   limits, and each test case's `.timeLimit` inside), so time spent queued behind
///   other blocking tests is not counted against it;
/// - then runs its test cases (their time limit tasks and bodies included) on
///   `BlockingThreadPool.shared`, so what it blocks is a thread of its own and never
///   one of the cooperative threads that every other test needs to start.
///
/// A test that hangs still fails when its time limit runs out: the time limit task
/// runs on a pool thread of its own too.
public struct BlocksThreadsTrait: TestTrait, SuiteTrait, TestScoping {
    /// How many blocking test functions run at once: enough to overlap their waits,
    /// few enough that the ones running keep a fair share of the cores.
    public static let width = 4 * max(1, ProcessInfo.processInfo.activeProcessorCount)

    private static let admissions = Admissions(width: width)

    /// Inherited by every test of a suite it is applied to.
    public var isRecursive: Bool { true }

    /// Scope once per test function (outside its test cases' time limits), never per
    /// suite or per test case.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite || testCase != nil ? nil : self
    }

    /// Waits for an admission, then runs the test function's cases on the pool.
    /// - Throws: whatever the test throws.
    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        await Self.admissions.enter()
        defer { Self.admissions.leave() }
        try await withTaskExecutorPreference(BlockingThreadPool.shared) {
            try await function()
        }
    }
}

extension Trait where Self == BlocksThreadsTrait {
    /// The test blocks threads: admitted `BlocksThreadsTrait.width` at a time before its
    /// time limit starts, then run on threads of its own.
    public static var blocksThreads: Self { Self() }
}

/// A counting gate for async callers: `enter` suspends (holding no thread) until one
/// of `width` places is free; places are handed out first come, first served.
final class Admissions: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(width: Int) {
        state = Mutex(State(free: width))
    }

    /// Returns once a place is taken for the caller.
    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    /// Gives the caller's place to the longest waiter, or frees it.
    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
