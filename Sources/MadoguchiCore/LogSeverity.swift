// LogSeverity: the severity of a log line (Postfix msg(3): info, warning, error, fatal)
// and its syslog priority.

import Glibc

/// Severity of a log line, as in Postfix msg(3).
public enum LogSeverity: String, Sendable {
    /// Detail shown only with `-v`.
    case debug
    /// A per-item notice.
    case info
    /// A per-item problem; the program continues.
    case warning
    /// A per-item failure; the program continues and exits non-zero.
    case error
    /// An environmental failure; the program exits.
    case fatal

    var syslogPriority: Int32 {
        switch self {
        case .debug: LOG_DEBUG
        case .info: LOG_INFO
        case .warning: LOG_WARNING
        case .error: LOG_ERR
        case .fatal: LOG_CRIT
        }
    }
}
