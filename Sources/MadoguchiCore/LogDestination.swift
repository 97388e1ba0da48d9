// LogDestination: where log lines go, standard error or syslog.

/// Where log lines go.
public enum LogDestination: String, Sendable {
    /// Standard error (cron mails it; the default for instances).
    case stderr
    /// The local syslog daemon, facility mail.
    case syslog
}
