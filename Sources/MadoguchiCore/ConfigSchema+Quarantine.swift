// ConfigSchema+Quarantine: the quarantine_* parameters: how long scan-and-file keeps
// an infected message before purging it.

extension ConfigKey<Int64> {
    /// `quarantine_days`: a count of days.
    public static let quarantineDays = integer(
        "quarantine_days", default: "30",
        "Days an infected message is kept in quarantine before scan-and-file purges it.")
}
