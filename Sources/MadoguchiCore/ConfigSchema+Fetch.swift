// ConfigSchema+Fetch: limits of fetch-forwarded-mail's POP3/IMAP sessions. Every
// byte read from a mail server is bounded by these (SECURITY.md B1-B3).

extension ConfigSchema {
    /// Timeouts and limits of the POP3/IMAP client.
    public static let fetch: [ConfigParameter] = [
        ConfigParameter(
            "fetch_connect_timeout", .duration, default: "30s",
            "How long connecting to a mail server (TCP and TLS handshake) may take."),
        ConfigParameter(
            "fetch_read_timeout", .duration, default: "60s",
            "How long one read from or write to a mail server may block."),
        ConfigParameter(
            "fetch_session_timeout", .duration, default: "10m",
            "Longest whole POP3/IMAP session; a slow server is cut off and the run exits 75."),
        ConfigParameter(
            "fetch_max_line_length", .size, default: "64k",
            "Longest protocol line (response or message line) accepted from a mail server."),
        ConfigParameter(
            "fetch_max_messages", .integer, default: "500",
            "Most messages fetched from one mailbox in one run; the rest wait for the next run."),
    ]
}
