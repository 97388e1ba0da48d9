// Log: one line per event, `program[pid]: severity: message`, to stderr or syslog.
// SECURITY: every message is escaped (control characters, CR/LF) so untrusted
// text cannot forge log lines; callers must never pass secrets or customer data.

import Glibc

/// A program's logger. Value type, safe to share between threads: each line is
/// written with a single write(2).
public struct Log: Sendable {
    /// The program name used as the log tag.
    public let program: String
    /// Whether `debug` lines are written.
    public let verbose: Bool
    /// Where lines go.
    public let destination: LogDestination

    /// Creates a logger.
    public init(program: String, verbose: Bool = false, destination: LogDestination = .stderr) {
        self.program = program
        self.verbose = verbose
        self.destination = destination
    }

    /// Writes a debug line (only with `-v`).
    public func debug(_ message: @autoclosure () -> String) {
        if verbose { write(.debug, message()) }
    }

    /// Writes an info line.
    public func info(_ message: String) { write(.info, message) }

    /// Writes a warning line.
    public func warning(_ message: String) { write(.warning, message) }

    /// Writes an error line.
    public func error(_ message: String) { write(.error, message) }

    /// Writes a fatal line (the caller exits).
    public func fatal(_ message: String) { write(.fatal, message) }

    /// Writes one line at `severity`.
    public func write(_ severity: LogSeverity, _ message: String) {
        let text = Log.escape(message)
        switch destination {
        case .stderr:
            let line = "\(program)[\(getpid())]: \(severity.rawValue): \(text)\n"
            FileDescriptorWriter.writeAll(2, Array(line.utf8))
        case .syslog:
            // ident NULL: glibc uses the program's invocation name, which is ours.
            openlog(nil, LOG_PID | LOG_NDELAY, LOG_MAIL)
            let line = "\(severity.rawValue): \(text)"
            line.withCString { cLine in
                withVaList([cLine]) { vsyslog(LOG_MAIL | severity.syslogPriority, "%s", $0) }
            }
        }
    }

    /// Escapes control characters so one event is always one line.
    /// - Parameter text: untrusted text.
    /// - Returns: text with CR, LF, TAB and other C0/C1 controls as `\xNN`-style escapes.
    public static func escape(_ text: String) -> String {
        var needs = false
        for scalar in text.unicodeScalars where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
            needs = true
            break
        }
        if !needs { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F...0x9F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
