// ScanError: why a message could not be scanned. Every case except a malformed
// clamd_address is transient (exit 75): the message stays in the spool and the
// next run retries it. SECURITY: none of these may ever be treated as clean (A24).

import MadoguchiCore

/// A scan that did not produce a verdict.
public enum ScanError: MadoguchiError, Equatable {
    /// clamd could not be reached or the connection broke (refused, reset, timed out).
    case network(NetworkError)
    /// The message is larger than `clamd_max_stream_size`; nothing was sent.
    case streamTooLarge(size: Int, limit: Int)
    /// clamd refused the stream: `INSTREAM size limit exceeded` (its StreamMaxLength is too small).
    case sizeLimitExceeded(reply: String)
    /// clamd reported an error (a reply ending in `ERROR`).
    case scannerError(reply: String)
    /// The reply was empty, unterminated, too long or not clamd's protocol.
    case badReply(String)

    public var description: String {
        switch self {
        case .network(let error): "clamd: \(error)"
        case .streamTooLarge(let size, let limit):
            "clamd: message of \(size) bytes exceeds clamd_max_stream_size (\(limit) bytes); not scanned"
        case .sizeLimitExceeded(let reply): "clamd refused the stream (raise its StreamMaxLength): \(Log.escape(reply))"
        case .scannerError(let reply): "clamd error: \(Log.escape(reply))"
        case .badReply(let what): "clamd: bad reply: \(Log.escape(what))"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .network(let error): error.exitCode
        default: .unavailable
        }
    }

    /// True except for an unusable `clamd_address`; a message that could not be
    /// scanned is always left in the spool for the next run.
    public var isTransient: Bool {
        switch self {
        case .network(let error): error.isTransient
        default: true
        }
    }
}
