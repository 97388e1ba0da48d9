// SystemError: a failed glibc call, with errno and context. EINTR never reaches
// here (callers retry); EAGAIN/ETIMEDOUT/ECONNREFUSED-style errors are transient.

import Glibc

/// A failed system call, carrying `errno` and what was being done.
public struct SystemError: MadoguchiError, Equatable {
    /// The raw errno value.
    public let code: Int32
    /// What was being done, e.g. `open /var/spool/madoguchi/tmp/x`.
    public let context: String

    /// Creates an error from an explicit errno value.
    public init(code: Int32, context: String) {
        self.code = code
        self.context = context
    }

    /// Captures the current `errno`.
    public static func current(_ context: String) -> SystemError {
        SystemError(code: errno, context: context)
    }

    public var description: String {
        "\(context): \(String(cString: strerror(code)))"
    }

    public var exitCode: SysExit {
        switch code {
        case EACCES, EPERM: .noPermission
        case ENOENT, ENOTDIR, EEXIST, EISDIR, EROFS: .cantCreate
        case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH: .unavailable
        default: .ioError
        }
    }

    public var isTransient: Bool {
        switch code {
        case EAGAIN, ETIMEDOUT, ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ENETUNREACH, ENOSPC, EMFILE, ENFILE,
            ENOBUFS, EPIPE:
            true
        default:
            false
        }
    }
}
