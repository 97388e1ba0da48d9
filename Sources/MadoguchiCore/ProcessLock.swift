// ProcessLock: the exclusive flock(2) each program holds on
// `lock_directory/<program>.lock` for its whole run (Postfix's "solitary" rule).
// A held lock means another run is active: the caller exits 75 quietly.

import Glibc

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
            // Unlock before closing: a child forked by another thread that has not yet
            // reached exec holds a copy of this descriptor (O_CLOEXEC closes it only at
            // exec), and close alone would leave the lock held until then.
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit {
        release()
    }
}
