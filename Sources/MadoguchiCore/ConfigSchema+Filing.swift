// ConfigSchema+Filing: how scan-and-file drives clamd. Filing itself is sequential;
// only reading, decrypting and scanning spool files overlap.

extension ConfigSchema {
    /// scan-and-file parameters.
    public static let filing: [ConfigParameter] = [
        ConfigParameter(
            "clamd_concurrency", .integer, default: "4",
            "Spool messages scan-and-file reads and scans at the same time (1 to 16); "
                + "clamd's MaxThreads should be at least as large. Filing stays one message at a time, in spool order.")
    ]
}
