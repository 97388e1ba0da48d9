// TLSError: why a TLS client connection could not be set up or used. A rejected
// certificate names OpenSSL's verify reason; nothing is ever sent over a stream
// whose handshake or verification failed.

import MadoguchiCore

/// A TLS failure on the client side.
public enum TLSError: MadoguchiError, Equatable {
    /// The context could not be configured (e.g. unreadable CA file).
    case setup(String)
    /// The server's certificate did not verify (untrusted, expired, wrong host name …).
    case certificateRejected(host: String, reason: String)
    /// The handshake failed for another reason (protocol version, cipher, reset).
    case handshakeFailed(host: String, reason: String)
    /// A TLS record layer error after the handshake.
    case io(String)

    public var description: String {
        switch self {
        case .setup(let what): "TLS setup failed: \(Log.escape(what))"
        case .certificateRejected(let host, let reason):
            "TLS certificate of \(Log.escape(host)) rejected: \(Log.escape(reason))"
        case .handshakeFailed(let host, let reason):
            "TLS handshake with \(Log.escape(host)) failed: \(Log.escape(reason))"
        case .io(let what): "TLS error: \(Log.escape(what))"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .setup: .config
        case .certificateRejected, .handshakeFailed, .io: .unavailable
        }
    }

    /// A rejected certificate or a refused protocol version needs an administrator,
    /// so it is permanent; record-layer errors are network trouble and transient.
    public var isTransient: Bool {
        switch self {
        case .io: true
        default: false
        }
    }
}
