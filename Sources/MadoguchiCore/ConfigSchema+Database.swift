// ConfigSchema+Database: the database_* parameters: where the shared SQLite database
// lives and how long a program waits for another program's write transaction.

extension ConfigKey<String> {
    /// `database_file`: the database path.
    public static let databaseFile = path(
        "database_file", default: "/var/lib/madoguchi/data/madoguchi.db",
        "The encrypted SQLite database shared by all programs.")
}

extension ConfigKey<Double> {
    /// `database_busy_timeout`, in seconds.
    public static let databaseBusyTimeout = duration(
        "database_busy_timeout", default: "10s",
        "How long a program waits for another program's write transaction before giving up (exit 75).")
}
