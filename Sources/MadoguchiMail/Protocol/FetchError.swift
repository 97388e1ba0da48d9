// FetchError: failures of a POP3/IMAP session. SECURITY: server text is escaped
// and shortened, and the account password is cut out of it (a hostile server may
// echo it back), so these descriptions are safe for logs and the admin page.

import MadoguchiCore

/// A POP3/IMAP failure.
public enum FetchError: MadoguchiError, Equatable {
    /// The server refused the user name or password (exit 77, not retried blindly).
    case authenticationFailed(account: String, serverText: String)
    /// The server put the login off: POP3 `[LOGIN-DELAY]`, `[IN-USE]` (RFC 2449) or
    /// `[SYS/TEMP]` (RFC 3206); IMAP `[UNAVAILABLE]`, `[INUSE]` or `[LIMIT]` (RFC 5530).
    /// Transient (75); the password is not in question.
    case loginDeferred(account: String, serverText: String)
    /// The server refused the login for a permanent reason of its own, not the
    /// credentials: POP3 `[SYS/PERM]` (RFC 3206), IMAP `[PRIVACYREQUIRED]` (RFC 5530).
    /// Exit 69.
    case serverRefused(account: String, serverText: String)
    /// The server answered `-ERR`/`NO`/`BAD` to a command.
    case commandFailed(command: String, serverText: String)
    /// STARTTLS was configured but the server does not offer it.
    case startTLSNotOffered(account: String)
    /// A PREAUTH greeting on a connection that was to be upgraded with STARTTLS.
    case preauthRefused(account: String)
    /// The server cannot do something the fetcher needs (e.g. UIDL, LOGINDISABLED without AUTH=PLAIN).
    case unsupported(String)
    /// The server broke the protocol (bad literal, unexpected reply, too much data).
    case protocolViolation(String)
    /// The message is larger than `mail_max_message_size`; it stays on the server.
    case messageTooLarge(uid: String, size: Int, limit: Int)
    /// The bytes received differ from the size the server listed; the message is held.
    case sizeMismatch(uid: String, listed: Int, received: Int)
    /// The message disappeared from the server (expunged by another client).
    case messageVanished(uid: String)
    /// UIDVALIDITY changed during the session; the caller must re-synchronise.
    case validityChanged(old: String, new: String)
    /// The server said BYE or closed the session.
    case serverClosed(serverText: String)
    /// `tls = none` for a host that is not loopback, without `allow_plaintext = yes`.
    case plaintextRefused(mailbox: String, host: String)

    public var description: String {
        switch self {
        case .authenticationFailed(let account, let text): "login to \(account) refused: \(text)"
        case .loginDeferred(let account, let text): "login to \(account) put off by the server, try later: \(text)"
        case .serverRefused(let account, let text): "login to \(account) refused by a server problem: \(text)"
        case .commandFailed(let command, let text): "\(command) failed: \(text)"
        case .startTLSNotOffered(let account): "\(account): STARTTLS is configured but the server does not offer it"
        case .preauthRefused(let account): "\(account): PREAUTH greeting refused on a STARTTLS connection"
        case .unsupported(let what): "server does not support \(what)"
        case .protocolViolation(let what): "protocol violation: \(Log.escape(what))"
        case .messageTooLarge(let uid, let size, let limit):
            "message \(Log.escape(uid)) has \(size) bytes, more than the limit of \(limit); kept on the server"
        case .sizeMismatch(let uid, let listed, let received):
            "message \(Log.escape(uid)) listed as \(listed) bytes but \(received) received; kept on the server"
        case .messageVanished(let uid): "message \(Log.escape(uid)) vanished from the server"
        case .validityChanged(let old, let new): "UIDVALIDITY changed from \(old) to \(new)"
        case .serverClosed(let text): "server closed the session: \(text)"
        case .plaintextRefused(let mailbox, let host):
            "mailbox \(Log.escape(mailbox)): tls = none would send the password to \(Log.escape(host)) in plaintext; "
                + "use TLS, or add the mailbox again with --allow-plaintext"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .authenticationFailed: .noPermission
        case .startTLSNotOffered, .preauthRefused, .unsupported: .unavailable
        case .protocolViolation: .unavailable
        case .messageTooLarge, .sizeMismatch: .dataError
        case .plaintextRefused: .config
        default: .unavailable
        }
    }

    /// Refused commands, vanished messages, UIDVALIDITY changes and BYE may clear
    /// up by the next run; authentication, TLS policy and protocol breaches need a person.
    public var isTransient: Bool {
        switch self {
        case .commandFailed, .messageVanished, .validityChanged, .serverClosed, .loginDeferred: true
        default: false
        }
    }

    /// What a refused login means, by its response code: POP3 (RFC 2449 section 8.1,
    /// RFC 3206) and IMAP (RFC 5530) codes do not overlap, so one table serves both.
    /// "Try later" codes say nothing about the password and get no back-off
    /// (madoguchi-security(7) B8); any other code, or none, is a refused login.
    /// - Parameters:
    ///   - account: the mailbox name.
    ///   - code: the response code (`responseCode(_:)`), or nil.
    ///   - serverText: the server's text, already made safe with `serverText(_:hiding:)`.
    /// - Returns: `.loginDeferred`, `.serverRefused` or `.authenticationFailed`.
    public static func loginRefusal(account: String, code: String?, serverText: String) -> FetchError {
        switch code?.uppercased() {
        case "LOGIN-DELAY", "IN-USE", "SYS/TEMP", "UNAVAILABLE", "INUSE", "LIMIT":
            .loginDeferred(account: account, serverText: serverText)
        case "SYS/PERM", "PRIVACYREQUIRED":
            .serverRefused(account: account, serverText: serverText)
        default:
            .authenticationFailed(account: account, serverText: serverText)
        }
    }

    /// The response code at the start of a reply text (`[SYS/TEMP] …` gives `SYS/TEMP`,
    /// `[UNAVAILABLE] …` gives `UNAVAILABLE`), or nil; a code with arguments is nil.
    public static func responseCode(_ text: some Collection<UInt8>) -> String? {
        let head = Array(text.prefix(64))
        guard head.first == UInt8(ascii: "["), let close = head.firstIndex(of: UInt8(ascii: "]")) else {
            return nil
        }
        let code = head[1..<close]
        guard !code.isEmpty, code.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: code, as: UTF8.self)
    }

    /// Makes server text safe to show: secrets removed, controls escaped, length capped.
    /// - Parameters:
    ///   - bytes: the raw text from the server.
    ///   - secrets: strings that must not appear (the password).
    /// - Returns: at most 300 characters of escaped text.
    public static func serverText(_ bytes: some Collection<UInt8>, hiding secrets: [String] = []) -> String {
        var text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        for secret in secrets where !secret.isEmpty {
            text = text.replacing(secret, with: "[hidden]")
        }
        text = Log.escape(text)
        if text.count > 300 { text = String(text.prefix(300)) + "…" }
        return text
    }
}
