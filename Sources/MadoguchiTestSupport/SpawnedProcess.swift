// SpawnedProcess: a helper daemon (dovecot, clamd, openssl s_server) that runs while
// a test talks to it, spawned as ChildProcess spawns every child (clean signal mask,
// default handlers, no inherited descriptors), then terminated and reaped once.

import Glibc

/// A long-running child process; terminated and reaped exactly once.
public final class SpawnedProcess {
    /// The child's process id.
    public let pid: pid_t
    private var reaped = false
    /// Write end of the child's stdin pipe, kept open so the child never sees EOF
    /// (`openssl s_server` quits at end of input).
    private var stdinWriter: Int32 = -1

    /// Starts `executable` with `arguments`, stdin from an idle pipe and stdout+stderr
    /// appended to `outputFile`, spawned as `ChildProcess.spawn` spawns every child.
    /// - Throws: `TestToolError` when the output file cannot be opened or posix_spawn fails.
    public init(_ executable: String, _ arguments: [String], outputFile: String = "/dev/null") throws {
        let idle = try ChildProcess.pipe()
        defer { close(idle.read) }
        let output = open(outputFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard output >= 0 else {
            close(idle.write)
            throw TestToolError("cannot open \(outputFile) (errno \(errno))")
        }
        defer { close(output) }
        do {
            pid = try ChildProcess.spawn(
                executable, arguments, environment: ChildProcess.baseEnvironment, stdin: idle.read, stdout: output,
                stderr: output)
        } catch {
            close(idle.write)
            throw error
        }
        stdinWriter = idle.write
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
