// The test harness's own guarantees: ChildProcess captures, feeds, reports and kills
// as documented and spawns children with nothing inherited; `.blocksThreads` runs a
// test on threads of its own where no job waits behind a blocked one.

import Foundation
import Glibc
import MadoguchiTestSupport
import Testing

@Suite(.timeLimit(.minutes(1)), .blocksThreads) struct ChildProcessTests {
    static let sh = "/bin/sh"

    @Test("standard output and error are captured apart or merged; the exit status is kept")
    func capture() throws {
        let script = "echo out; echo err >&2; exit 3"
        let apart = try ChildProcess.run(Self.sh, ["-c", script], errors: .separate)
        #expect(apart.status == 3 && !apart.killed)
        #expect(apart.output == "out\n" && apart.errors == "err\n")
        let merged = try ChildProcess.run(Self.sh, ["-c", script])
        #expect(merged.status == 3 && merged.output == "out\nerr\n" && merged.errors.isEmpty)
    }

    @Test("standard input is the given bytes, then end of file, beyond the default pipe size")
    func input() throws {
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let outcome = try ChildProcess.run("/usr/bin/wc", ["-c"], input: bytes)
        #expect(outcome.status == 0 && outcome.output.trimmingCharacters(in: .whitespacesAndNewlines) == "300000")
        let empty = try ChildProcess.run("/bin/cat", [])
        #expect(empty.status == 0 && empty.output.isEmpty)
    }

    @Test("a signal that ends the child is reported as killed with its number")
    func signal() throws {
        let outcome = try ChildProcess.run(Self.sh, ["-c", "kill -TERM $$"])
        #expect(outcome.killed && outcome.status == SIGTERM)
    }

    @Test("a child that outlives its timeout is killed and reported as timed out, in about the timeout")
    func timeout() throws {
        let started = ContinuousClock.now
        let outcome = try ChildProcess.run(Self.sh, ["-c", "echo begun; exec sleep 30"], timeout: 0.5)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(outcome.timedOut && outcome.killed && outcome.status == SIGKILL)
        #expect(outcome.output == "begun\n")
        #expect(try !ChildProcess.run("/bin/true", [], timeout: 30).timedOut)
    }

    @Test("a child inherits no descriptor but 0, 1 and 2, no blocked signal and only the given environment")
    func hygiene() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)  // without O_CLOEXEC: the child must not get it anyway
        defer { fds.forEach { close($0) } }
        var block = sigset_t()
        var previous = sigset_t()
        sigemptyset(&block)
        sigaddset(&block, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &block, &previous)  // as a thread of a signal-handling program may
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        // ls and grep report on themselves (ls also holds 3, the directory it lists).
        let script = "ls /proc/self/fd; grep -E '^SigBlk' /proc/self/status; env"
        let outcome = try ChildProcess.run(Self.sh, ["-c", script], environment: ["MADOGUCHI_X": "1"])
        let lines = outcome.output.split(separator: "\n").map(String.init)
        let descriptors = lines.prefix { Int($0) != nil }
        #expect(Set(descriptors) == ["0", "1", "2", "3"], "\(descriptors) (the pipe: \(fds))")
        #expect(lines.contains("SigBlk:\t0000000000000000"), "\(lines)")
        #expect(lines.contains("MADOGUCHI_X=1") && lines.contains("PATH=/usr/sbin:/usr/bin:/sbin:/bin"))
        #expect(!lines.contains { $0.hasPrefix("HOME=") })
    }
}

@Suite(.timeLimit(.minutes(1))) struct BlocksThreadsTraitTests {
    @Test("a .blocksThreads test runs on a pool thread, not a cooperative one", .blocksThreads)
    func poolThread() {
        #expect(BlockingThreadPool.isPoolThread)
    }

    @Test("on the pool, a job never waits behind a blocked one", .blocksThreads)
    func noJobWaits() async {
        // More children than any fixed pool of 4 × cores threads, each blocked until all
        // have started: they only all finish if every one got a thread of its own.
        let count = 4 * ProcessInfo.processInfo.activeProcessorCount + 4
        let started = Barrier(count)
        let finished = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<count { group.addTask { started.arriveAndWait(timeout: 20) } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(finished == count)
    }
}

/// Blocks each caller until `count` callers have arrived.
///
/// `@unchecked Sendable`: `arrived` is only touched under `condition`.
private final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private var arrived = 0

    init(_ count: Int) { self.count = count }

    /// Arrives and waits for the others. - Returns: false when `timeout` seconds passed first.
    func arriveAndWait(timeout: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        condition.broadcast()
        let limit = Date(timeIntervalSinceNow: timeout)
        while arrived < count {
            if !condition.wait(until: limit) { return arrived >= count }
        }
        return true
    }
}
