// NetworkError: a network failure. Timeouts, refusals and resets are transient (exit 75,
// the next cron run retries); a bad address or protocol violation is not.

import Glibc

/// A network failure. Timeouts, refusals and resets are transient.
public enum NetworkError: MadoguchiError, Equatable {
    /// The address could not be resolved or parsed.
    case badAddress(String)
    /// connect(2) failed.
    case connectFailed(address: String, code: Int32)
    /// A connect, read or write did not finish in time.
    case timedOut(String)
    /// The peer closed the connection unexpectedly.
    case closed(String)
    /// Another socket error.
    case io(String, code: Int32)
    /// The peer broke the protocol (a line too long, a bad reply).
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .badAddress(let a): "bad network address \(Log.escape(a))"
        case .connectFailed(let a, let code): "connect to \(a) failed: \(String(cString: strerror(code)))"
        case .timedOut(let what): "timed out: \(what)"
        case .closed(let what): "connection closed by peer: \(what)"
        case .io(let what, let code): "\(what): \(String(cString: strerror(code)))"
        case .protocolViolation(let what): "protocol violation: \(Log.escape(what))"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .badAddress: .config
        case .protocolViolation: .unavailable
        default: .unavailable
        }
    }

    public var isTransient: Bool {
        switch self {
        case .badAddress, .protocolViolation: false
        default: true
        }
    }
}
