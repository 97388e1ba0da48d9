// FetchLimits: the timeouts and size bounds of one POP3/IMAP session, from
// madoguchi.conf (fetch_* and mail_max_message_size). SECURITY: every read from a
// mail server is bounded by these (madoguchi-security(7) B1-B3).

import MadoguchiCore

/// Bounds on a POP3/IMAP session.
public struct FetchLimits: Sendable, Equatable {
    /// Seconds for TCP connect and TLS handshake (`fetch_connect_timeout`).
    public var connectTimeout: Double
    /// Seconds one read or write may block (`fetch_read_timeout`).
    public var readTimeout: Double
    /// Seconds the whole session may last, checked between reads (`fetch_session_timeout`).
    public var sessionTimeout: Double
    /// Longest protocol or message line in bytes (`fetch_max_line_length`).
    public var maxLineLength: Int
    /// Most messages the fetcher takes per run (`fetch_max_messages`); enforced by the caller.
    public var maxMessages: Int
    /// Largest message in bytes (`mail_max_message_size`); larger ones stay on the server.
    public var maxMessageSize: Int

    /// Creates limits.
    public init(
        connectTimeout: Double, readTimeout: Double, sessionTimeout: Double, maxLineLength: Int, maxMessages: Int,
        maxMessageSize: Int
    ) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.sessionTimeout = sessionTimeout
        self.maxLineLength = maxLineLength
        self.maxMessages = maxMessages
        self.maxMessageSize = maxMessageSize
    }

    /// The limits configured in `configuration` (defaults where unset).
    public init(_ configuration: Configuration) {
        self.init(
            connectTimeout: configuration[.fetchConnectTimeout],
            readTimeout: configuration[.fetchReadTimeout],
            sessionTimeout: configuration[.fetchSessionTimeout],
            maxLineLength: Int(configuration[.fetchMaxLineLength]),
            maxMessages: Int(configuration[.fetchMaxMessages]),
            maxMessageSize: Int(configuration[.mailMaxMessageSize]))
    }

    /// The built-in defaults.
    public static let standard = FetchLimits(.defaults)

    /// Most entries a UIDL/LIST or UID FETCH listing may have (bounded memory).
    public static let maxListEntries = 100_000
}
