// ConfigSchema+Scan: how scan-and-file reaches clamd. The scan fails closed:
// only clamd's explicit "stream: OK" files a message (SECURITY.md §1.8, A24).

extension ConfigSchema {
    /// Virus scanning through clamd's INSTREAM protocol.
    public static let scan: [ConfigParameter] = [
        ConfigParameter(
            "clamd_address", .string, default: "/run/clamav/clamd.ctl",
            "clamd's socket: a Unix socket path (starting with /) or host:port for its TCP socket."),
        ConfigParameter(
            "clamd_timeout", .duration, default: "60s",
            "Longest time one scan (connect, send the message, wait for the verdict) may take before it is retried."),
        ConfigParameter(
            "clamd_max_stream_size", .size, default: "0",
            "Largest message sent to clamd; 0 means mail_max_message_size. clamd's StreamMaxLength must not be smaller."
        ),
    ]
}
