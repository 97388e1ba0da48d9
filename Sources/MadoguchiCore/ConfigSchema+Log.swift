// ConfigSchema+Log: the log_* parameters: where every program writes its log lines.

extension ConfigKey<String> {
    /// `log_destination`: `stderr` or `syslog` (see `LogDestination`).
    public static let logDestination = choice(
        "log_destination", ["stderr", "syslog"], default: "stderr",
        "Where programs write their log lines: stderr (mailed by cron) or syslog (facility mail).")
}
