// SysExit: the sysexits(3) codes every Madoguchi program exits with.
// One mapping for all programs; each man page lists it under EXIT STATUS.

/// Exit status of a Madoguchi program, following sysexits(3).
public enum SysExit: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// Success.
    case ok = 0
    /// Bad command-line arguments.
    case usage = 64
    /// Bad input data (e.g. an unparseable file).
    case dataError = 65
    /// An input file does not exist or cannot be read.
    case noInput = 66
    /// A remote service refused or is missing.
    case unavailable = 69
    /// An internal error (a bug was caught).
    case software = 70
    /// An output file could not be created.
    case cantCreate = 73
    /// An I/O error.
    case ioError = 74
    /// A transient failure: the next cron run retries.
    case tempFail = 75
    /// Permission denied.
    case noPermission = 77
    /// Bad configuration.
    case config = 78

    /// The sysexits.h name, e.g. `EX_TEMPFAIL`.
    public var description: String {
        switch self {
        case .ok: "EX_OK"
        case .usage: "EX_USAGE"
        case .dataError: "EX_DATAERR"
        case .noInput: "EX_NOINPUT"
        case .unavailable: "EX_UNAVAILABLE"
        case .software: "EX_SOFTWARE"
        case .cantCreate: "EX_CANTCREAT"
        case .ioError: "EX_IOERR"
        case .tempFail: "EX_TEMPFAIL"
        case .noPermission: "EX_NOPERM"
        case .config: "EX_CONFIG"
        }
    }
}
