// SMTPLimits: the timeouts and size bounds of one SMTP session. SECURITY: every read
// from the relay is bounded by these: a reply line, a whole reply, each read and the
// session (madoguchi-security(7) C6, as B3 for the fetcher).

/// Bounds on an SMTP session.
public struct SMTPLimits: Sendable, Equatable {
    /// Seconds for the TCP connect and each TLS handshake.
    public var connectTimeout: Double
    /// Seconds one read or write may block (the reply after the final dot included).
    public var readTimeout: Double
    /// Seconds the whole session may last, however many messages it sends.
    public var sessionTimeout: Double
    /// Longest reply line in bytes, CRLF included (RFC 5321 4.5.3.1.5 allows 512).
    public var maxLineLength: Int
    /// Most bytes of one (multi-line) reply.
    public var maxReplyBytes: Int
    /// Most recipients of one message (RFC 5321 4.5.3.1.8: servers take at least 100).
    public var maxRecipients: Int

    /// Creates limits.
    public init(
        connectTimeout: Double = 30, readTimeout: Double = 120, sessionTimeout: Double = 600,
        maxLineLength: Int = 2048, maxReplyBytes: Int = 64 * 1024, maxRecipients: Int = 100
    ) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.sessionTimeout = sessionTimeout
        self.maxLineLength = maxLineLength
        self.maxReplyBytes = maxReplyBytes
        self.maxRecipients = maxRecipients
    }

    /// The built-in defaults: 30 s connect, 120 s per read, 10 min per session,
    /// 2 KiB reply lines, 64 KiB replies, 100 recipients.
    public static let standard = SMTPLimits()
}
