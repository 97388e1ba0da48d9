// LockError: why a program could not take its lock. A held lock is transient (exit 75,
// quietly); a lock file that cannot be opened is not.

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
