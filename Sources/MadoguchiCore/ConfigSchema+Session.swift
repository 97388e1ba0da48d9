// ConfigSchema+Session: the session_* and login_* parameters: how long a web session
// lives on the server and when repeated wrong passwords lock an account
// (madoguchi-security(7) E3, E4). The browser's countdown only mirrors these.

extension ConfigKey<Double> {
    /// `session_idle_timeout`, in seconds.
    public static let sessionIdleTimeout = duration(
        "session_idle_timeout", default: "15m",
        "A web session without a request for this long is ended by the server (clamped to 1m to 12h).")

    /// `session_max_age`, in seconds.
    public static let sessionMaxAge = duration(
        "session_max_age", default: "8h",
        "A web session ends this long after its login, however active it is (clamped to 1m to 24h).")

    /// `login_lockout`, in seconds.
    public static let loginLockout = duration(
        "login_lockout", default: "30m",
        "How long an account stays locked after login_max_failures wrong passwords in a row (clamped to 1m to 7d).")
}

extension ConfigKey<Int64> {
    /// `login_max_failures`: a count of consecutive wrong passwords.
    public static let loginMaxFailures = integer(
        "login_max_failures", default: "10",
        "Consecutive wrong passwords that lock an account for login_lockout (clamped to 1 to 100).")
}
