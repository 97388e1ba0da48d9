// ChildProcess: the one way tests run a child process to completion (openssl, mandoc,
// the built programs), and the posix_spawn call SpawnedProcess shares: a clean signal
// mask, default handlers, no inherited descriptors, stdin from given bytes, stdout and
// stderr apart or merged, and a timeout that kills the child.

import Glibc

/// Runs child processes to completion.
public enum ChildProcess {
    /// Where a child's standard error goes.
    public enum ErrorOutput: Sendable {
        /// Into the same pipe as standard output, interleaved as written.
        case merged
        /// Into a pipe of its own (`Outcome.errors`).
        case separate
    }

    /// How a run ended and what the child printed.
    public struct Outcome: Sendable {
        /// The exit status, or the signal number when a signal ended it.
        public var status: Int32
        /// Whether a signal ended it.
        public var killed: Bool
        /// Standard output (lossy UTF-8), with standard error interleaved when merged.
        public var output: String
        /// Standard error (lossy UTF-8) when kept apart, else empty.
        public var errors: String
        /// Whether the child was killed (SIGKILL) because it outlived its timeout.
        public var timedOut = false
    }

    /// The environment of every child, under the variables a caller adds.
    public static let baseEnvironment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]

    /// Runs `executable` with `arguments` and waits until it exits.
    /// - Parameters:
    ///   - executable: an absolute path.
    ///   - arguments: argv after argv[0] (which is `executable`).
    ///   - environment: variables added to (or replacing those of) `baseEnvironment`.
    ///   - input: standard input, followed by end of file (at most 1 MiB, the pipe
    ///     capacity Linux allows by default, so writing it can never block or raise SIGPIPE).
    ///   - errors: standard error merged into standard output, or kept apart.
    ///   - timeout: seconds after which a still-running child is killed with SIGKILL
    ///     (`Outcome.timedOut`, with what it printed until then); nil waits for as long as it runs.
    /// - Returns: the exit status and the captured output.
    /// - Throws: `TestToolError` when the child cannot be started.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], input: [UInt8] = [],
        errors: ErrorOutput = .merged, timeout: Double? = nil
    ) throws -> Outcome {
        var stdin = try pipe()
        defer { closeAll(stdin) }
        try fill(stdin.write, with: input)
        closeOne(&stdin.write)
        var stdout = try pipe()
        defer { closeAll(stdout) }
        var stderr = Pipe(read: -1, write: -1)
        defer { closeAll(stderr) }
        if errors == .separate { stderr = try pipe() }
        let pid = try spawn(
            executable, arguments, environment: baseEnvironment.merging(environment) { $1 }, stdin: stdin.read,
            stdout: stdout.write, stderr: errors == .separate ? stderr.write : stdout.write)
        closeOne(&stdin.read)
        closeOne(&stdout.write)
        closeOne(&stderr.write)

        var collector = Collector(pid: pid, timeout: timeout)
        let (status, captured) = collector.collect([stdout.read, stderr.read].filter { $0 >= 0 })
        let exited = status.map { $0 & 0x7f == 0 } ?? false
        return Outcome(
            status: status.map { exited ? ($0 >> 8) & 0xff : $0 & 0x7f } ?? SIGKILL, killed: !exited,
            output: String(decoding: captured[0], as: UTF8.self),
            errors: captured.count > 1 ? String(decoding: captured[1], as: UTF8.self) : "", timedOut: status == nil)
    }

    /// Starts `executable` with `stdin`, `stdout` and `stderr` as its descriptors 0, 1
    /// and 2 and no others, an empty signal mask and every signal's default action
    /// (a thread of the test process may block or ignore signals; a daemon started
    /// with that mask would never see SIGTERM).
    /// - Parameters:
    ///   - executable: an absolute path.
    ///   - arguments: argv after argv[0].
    ///   - environment: the whole environment.
    ///   - stdin: the child's standard input.
    ///   - stdout: the child's standard output.
    ///   - stderr: the child's standard error (may equal `stdout`).
    /// - Returns: the child's process id; the caller reaps it.
    /// - Throws: `TestToolError` when posix_spawn fails.
    static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], stdin: Int32, stdout: Int32,
        stderr: Int32
    ) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // Another test's pipe end inherited by this child would keep that pipe open.
        guard GNU.addCloseFrom(&actions, 3) == 0 else {
            throw TestToolError("posix_spawn_file_actions_addclosefrom_np")
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] =
            environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw TestToolError("posix_spawn \(executable) failed: \(String(cString: strerror(rc)))")
        }
        return child
    }

    /// The two ends of a pipe; -1 once closed.
    struct Pipe {
        var read: Int32
        var write: Int32
    }

    /// A pipe whose ends are closed on exec (`spawn` dups the child's own onto 0–2).
    /// - Throws: `TestToolError` when pipe2 fails.
    static func pipe() throws -> Pipe {
        var ends: [Int32] = [-1, -1]
        guard GNU.pipe2(&ends, O_CLOEXEC) == 0 else { throw TestToolError("pipe2 failed (errno \(errno))") }
        return Pipe(read: ends[0], write: ends[1])
    }

    private static func closeOne(_ fd: inout Int32) {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    private static func closeAll(_ pipe: Pipe) {
        if pipe.read >= 0 { close(pipe.read) }
        if pipe.write >= 0 { close(pipe.write) }
    }

    /// Writes all of `input` into a pipe whose read end nobody has consumed yet,
    /// growing the pipe first when needed, without ever blocking.
    private static func fill(_ fd: Int32, with input: [UInt8]) throws {
        guard !input.isEmpty else { return }
        if input.count > 65536 {
            guard fcntl(fd, GNU.setPipeSize, Int32(clamping: input.count)) >= input.count else {
                throw TestToolError("standard input of \(input.count) bytes does not fit a pipe")
            }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let written = input.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == input.count else {
            throw TestToolError("writing \(input.count) bytes of standard input wrote \(written) (errno \(errno))")
        }
    }
}

/// The glibc extensions ChildProcess needs that Swift's Glibc module does not declare
/// (it is built without `_GNU_SOURCE`), looked up by name in the C library.
private enum GNU {
    /// `posix_spawn_file_actions_addclosefrom_np(3)`, glibc 2.34 and later.
    static let addCloseFrom = unsafeBitCast(
        symbol("posix_spawn_file_actions_addclosefrom_np"),
        to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)

    /// `pipe2(2)`: both ends get their flags (`O_CLOEXEC`) atomically.
    static let pipe2 = unsafeBitCast(
        symbol("pipe2"), to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)

    /// `F_SETPIPE_SZ` of fcntl(2).
    static let setPipeSize: Int32 = 1031

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer {
        guard let address = dlsym(nil, name) else { fatalError("the C library has no \(name)") }
        return address
    }
}

/// Reads a child's output pipes to end of file and reaps it, killing it at the deadline.
private struct Collector {
    let pid: pid_t
    let deadline: ContinuousClock.Instant
    private var status: Int32?

    /// - Parameter timeout: seconds until the child is killed; nil for no limit.
    init(pid: pid_t, timeout: Double?) {
        self.pid = pid
        // nil: a deadline a century away, which no test run reaches.
        deadline = .now + .milliseconds(Int64((timeout ?? 3_155_760_000) * 1000))
    }

    /// Reads `fds` until end of file (or until the child has exited and they are
    /// drained: a grandchild may hold them open), and reaps the child.
    /// - Returns: the wait status (nil when the deadline killed the child) and the
    ///   bytes read from each descriptor, in order.
    mutating func collect(_ fds: [Int32]) -> (Int32?, [[UInt8]]) {
        var captured = [[UInt8]](repeating: [], count: fds.count)
        var open = Array(fds.indices)
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        while !open.isEmpty {
            if reap() {
                for index in open { _ = drain(fds[index], into: &captured[index]) }
                return (status, captured)
            }
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return (kill(), captured) }
            var polled = open.map { pollfd(fd: fds[$0], events: Int16(POLLIN), revents: 0) }
            let slice = min(left, .milliseconds(100)).components
            let milliseconds = Int32(slice.seconds * 1000 + slice.attoseconds / 1_000_000_000_000_000) + 1
            guard poll(&polled, nfds_t(polled.count), milliseconds) >= 0 || errno == EINTR else {
                return (kill(), captured)
            }
            open = open.enumerated().filter { position, index in
                polled[position].revents == 0 || drain(fds[index], into: &captured[index])
            }.map(\.element)
        }
        while !reap() {
            guard ContinuousClock.now < deadline else { return (kill(), captured) }
            usleep(1000)
        }
        return (status, captured)
    }

    /// Reads what `fd` has now. - Returns: false at end of file (or a read error).
    private func drain(_ fd: Int32, into bytes: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                bytes += chunk[..<n]
                continue
            }
            if n < 0 && errno == EINTR { continue }
            return n < 0 && errno == EAGAIN
        }
    }

    /// Reaps the child if it has exited. - Returns: whether it has.
    private mutating func reap() -> Bool {
        guard status == nil else { return true }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        if result == pid { status = raw }
        return status != nil
    }

    /// Kills and reaps the child. - Returns: nil, the status of a killed-at-deadline run.
    private mutating func kill() -> Int32? {
        Glibc.kill(pid, SIGKILL)
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        return nil
    }
}
