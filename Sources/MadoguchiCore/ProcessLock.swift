// ProcessLock: the exclusive flock(2) each program holds on
// `lock_directory/<program>.lock` for its whole run (Postfix's "solitary" rule).
// A held lock means another run is active: the caller exits 75 quietly.

import Glibc

/// Why a lock could not be taken.
public enum LockError: MadoguchiError, Equatable {
    /// Another process holds the lock (transient: exit 75, quietly).
    case held(path: String)
    /// The lock file could not be opened.
    case cannotOpen(path: String, code: Int32)

    public var description: String {
        switch self {
        case .held(let path): "another run holds \(path)"
        case .cannotOpen(let path, let code): "cannot open lock file \(path): \(String(cString: strerror(code)))"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .held: .tempFail
        case .cannotOpen(_, let code): code == EACCES || code == EPERM ? .noPermission : .cantCreate
        }
    }

    public var isTransient: Bool {
        if case .held = self { return true }
        return false
    }
}

/// An exclusive lock held until the object is released or the process exits.
public final class ProcessLock {
    /// The lock file path.
    public let path: String
    private var fd: Int32

    /// Takes the lock without waiting.
    /// - Parameter path: the lock file; created (mode 0640) if missing, and its
    ///   directory too (mode 0750).
    /// - Throws: `LockError.held` if another process holds it.
    public init(path: String) throws {
        self.path = path
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !directory.isEmpty { mkdir(directory, 0o750) }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw LockError.cannotOpen(path: path, code: errno) }
        var result: Int32
        repeat { result = flock(fd, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
        if result != 0 {
            close(fd)
            throw LockError.held(path: path)
        }
        self.fd = fd
    }

    /// Releases the lock now (idempotent); otherwise it is released on deinit.
    public func release() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    deinit {
        release()
    }
}
