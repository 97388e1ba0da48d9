// SpawnedProcess: starts a helper daemon (dovecot, openssl s_server) with a clean
// signal mask and default handlers. Foundation's Process inherits the test
// thread's blocked signals, so a daemon started that way never sees SIGTERM.

import Glibc

/// A child process started with posix_spawn; terminated and reaped exactly once.
public final class SpawnedProcess {
    /// The child's process id.
    public let pid: pid_t
    private var reaped = false
    /// Write end of the child's stdin pipe, kept open so the child never sees EOF
    /// (`openssl s_server` quits at end of input).
    private var stdinWriter: Int32 = -1

    /// Starts `executable` with `arguments`, stdin from an idle pipe and stdout+stderr to `outputFile`.
    /// - Throws: `TestToolError` when posix_spawn fails.
    public init(_ executable: String, _ arguments: [String], outputFile: String = "/dev/null") throws {
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
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else { throw TestToolError("pipe failed: \(errno)") }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(pipeEnds[0])
        guard rc == 0 else {
            close(pipeEnds[1])
            throw TestToolError("posix_spawn \(executable) failed: \(rc)")
        }
        pid = child
        stdinWriter = pipeEnds[1]
    }

    /// Whether the child is still running (reaps it when it has exited).
    public var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { reaped = true }
        return !reaped
    }

    /// Waits until the child exits by itself (SIGKILL after `timeout` seconds) and reaps it.
    /// - Returns: the exit status (128 + the signal when killed) and the child's peak
    ///   resident set size in KiB (`ru_maxrss` from wait4(2)); nil when already reaped.
    public func waitForExit(timeout: Double) -> (status: Int32, maxResidentKiB: Int)? {
        guard !reaped else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        var waited = 0.0
        while wait4(pid, &status, WNOHANG, &usage) != pid {
            if waited >= timeout {
                kill(pid, SIGKILL)
                while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
                break
            }
            usleep(20_000)
            waited += 0.02
        }
        reaped = true
        let low = status & 0x7F
        let code = low == 0 ? (status >> 8) & 0xFF : 128 + low
        return (code, Int(usage.ru_maxrss))
    }

    /// Sends SIGTERM, waits up to `timeout` seconds, then SIGKILL; reaps the child. Idempotent.
    public func terminate(timeout: Double = 10) {
        if stdinWriter >= 0 {
            close(stdinWriter)
            stdinWriter = -1
        }
        guard isRunning else { return }
        kill(pid, SIGTERM)
        var waited = 0.0
        while isRunning && waited < timeout {
            usleep(20_000)
            waited += 0.02
        }
        if isRunning {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            reaped = true
        }
    }

    deinit {
        terminate()
    }
}
