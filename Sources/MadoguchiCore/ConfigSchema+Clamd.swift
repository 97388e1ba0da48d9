// ConfigSchema+Clamd: the clamd_* parameters: how scan-and-file reaches clamd and how
// many messages it scans at once (filing itself stays sequential). SECURITY: the scan
// fails closed: only clamd's explicit "stream: OK" files a message (madoguchi-security(7), A24).

extension ConfigKey<String> {
    /// `clamd_address`: a Unix socket path or `host:port`.
    public static let clamdAddress = string(
        "clamd_address", default: "/run/clamav/clamd.ctl",
        "clamd's socket: a Unix socket path (starting with /) or host:port for its TCP socket.")
}

extension ConfigKey<Double> {
    /// `clamd_timeout`, in seconds.
    public static let clamdTimeout = duration(
        "clamd_timeout", default: "60s",
        "Longest time one scan (connect, send the message, wait for the verdict) may take before it is retried.")
}

extension ConfigKey<Int64> {
    /// `clamd_max_stream_size`, in bytes; 0 means `mail_max_message_size`.
    public static let clamdMaxStreamSize = size(
        "clamd_max_stream_size", default: "0",
        "Largest message sent to clamd; 0 means mail_max_message_size. clamd's StreamMaxLength must not be smaller.")

    /// `clamd_concurrency`: a count of messages scanned at the same time.
    public static let clamdConcurrency = integer(
        "clamd_concurrency", default: "4",
        "Spool messages scan-and-file reads and scans at the same time (1 to 16); "
            + "clamd's MaxThreads should be at least as large. Filing stays one message at a time, in spool order.")
}
