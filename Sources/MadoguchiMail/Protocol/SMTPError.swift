// SMTPError: failures of an SMTP session, sorted for send-replies: `refusesMessage`
// (this message can never go out as it is: mark it failed), `isTransient` (4xx, the
// network: keep it queued and retry), `mayHaveBeenAccepted` (the final dot went out
// but no answer came: reconcile before sending again). SECURITY: server text is
// escaped and shortened, and the password is cut out of it (SMTPReply).

import MadoguchiCore
import MadoguchiCrypto

/// An SMTP failure.
public enum SMTPError: MadoguchiError, Equatable {
    /// `tls = none` to a host that is not loopback.
    case plaintextRefused(host: String)
    /// The relay settings cannot work (a bad EHLO name, a control character in the credentials).
    case invalidRelay(String)
    /// STARTTLS was configured but the relay does not offer it (never falls back to plaintext).
    case startTLSNotOffered(host: String)
    /// Credentials are configured but the relay offers neither AUTH PLAIN nor LOGIN.
    case authenticationNotOffered(host: String)
    /// The relay refused the credentials (535) or put them off (454, transient).
    case authenticationFailed(SMTPReply)
    /// A non-success reply to `command` (`greeting`, `EHLO`, `STARTTLS`, `MAIL`, `DATA`,
    /// `end of data`, `RSET`); 4xx is transient, 5xx permanent.
    case rejected(command: String, reply: SMTPReply)
    /// One or more RCPT TO were refused; nothing was sent to the others either.
    case recipientsRefused([SMTPRecipientRefusal])
    /// An envelope address we will not send (control characters, spaces, `<>`, non-ASCII).
    case invalidAddress(String)
    /// Message bytes we will not send: a bare CR or LF, NUL, a line over 998 octets,
    /// no final CRLF, 8-bit data to a relay without 8BITMIME (C4).
    case invalidMessage(String)
    /// Larger than the relay's SIZE (RFC 1870).
    case messageTooLarge(size: Int, limit: Int)
    /// The relay broke the protocol (garbage, an endless line or reply).
    case protocolViolation(String)
    /// A connection failure or timeout.
    case network(NetworkError)
    /// A TLS failure (certificate, host name, handshake).
    case tls(TLSError)
    /// The final dot was sent and no valid answer came: the relay may have accepted
    /// the message. The caller must reconcile before sending it again.
    case outcomeUnknown(String)
    /// An earlier failure left the session out of step; open a new one.
    case sessionUnusable

    public var description: String {
        switch self {
        case .plaintextRefused(let host):
            "SMTP relay \(Log.escape(host)): tls = none is allowed only to a loopback address"
        case .invalidRelay(let what): "SMTP relay settings unusable: \(Log.escape(what))"
        case .startTLSNotOffered(let host):
            "SMTP relay \(Log.escape(host)): STARTTLS is configured but the relay does not offer it"
        case .authenticationNotOffered(let host):
            "SMTP relay \(Log.escape(host)) offers neither AUTH PLAIN nor AUTH LOGIN"
        case .authenticationFailed(let reply): "SMTP AUTH refused: \(reply)"
        case .rejected(let command, let reply): "SMTP \(command) refused: \(reply)"
        case .recipientsRefused(let refusals):
            "SMTP recipients refused: " + refusals.map { Log.escape($0.description) }.joined(separator: "; ")
        case .invalidAddress(let what): "envelope address refused: \(Log.escape(what))"
        case .invalidMessage(let what): "message refused before sending: \(what)"
        case .messageTooLarge(let size, let limit):
            "message of \(size) bytes is larger than the relay's SIZE limit of \(limit)"
        case .protocolViolation(let what): "SMTP protocol violation: \(Log.escape(what))"
        case .network(let error): error.description
        case .tls(let error): error.description
        case .outcomeUnknown(let what):
            "no answer after the end of the message, it may have been accepted: \(Log.escape(what))"
        case .sessionUnusable: "SMTP session unusable after an earlier error"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .plaintextRefused, .invalidRelay: .config
        case .authenticationFailed: .noPermission
        case .invalidAddress, .invalidMessage, .messageTooLarge: .dataError
        case .network(let error): error.exitCode
        case .tls(let error): error.exitCode
        default: .unavailable
        }
    }

    /// 4xx replies, connection failures and timeouts, and a lost final answer.
    public var isTransient: Bool {
        switch self {
        case .authenticationFailed(let reply), .rejected(_, let reply): reply.isTransient
        case .recipientsRefused(let refusals): refusals.allSatisfy { $0.reply.isTransient }
        case .network(let error): error.isTransient
        case .tls(let error): error.isTransient
        case .outcomeUnknown: true
        default: false
        }
    }

    /// Whether this message can never be sent as it is: a 5xx to its MAIL, RCPT, DATA
    /// or final dot, or bytes or addresses refused before sending. Failures of the
    /// session itself (TLS, AUTH, greeting, network) say nothing about the message.
    public var refusesMessage: Bool {
        switch self {
        case .rejected(let command, let reply):
            reply.isPermanent && ["MAIL", "DATA", "end of data"].contains(command)
        case .recipientsRefused: !isTransient
        case .invalidAddress, .invalidMessage, .messageTooLarge: true
        default: false
        }
    }

    /// True only for `.outcomeUnknown`: the relay may hold the message.
    public var mayHaveBeenAccepted: Bool {
        if case .outcomeUnknown = self { return true }
        return false
    }

    /// Maps an error of the transport or reader: network and TLS errors are wrapped,
    /// anything else becomes a protocol violation.
    static func wrapping(_ error: any Error) -> SMTPError {
        switch error {
        case let error as SMTPError: error
        case let error as NetworkError: .network(error)
        case let error as TLSError: .tls(error)
        default: .protocolViolation(String(describing: error))
        }
    }
}
