// ConfigSchema+Fetch: the fetch_* parameters: fetch-forwarded-mail's own files and
// the limits of its POP3/IMAP sessions. SECURITY: every byte read from a mail server
// is bounded by these (madoguchi-security(7), B1-B3).

extension ConfigKey<String> {
    /// `fetch_accounts_file`: the path of the mailbox list with its passwords.
    public static let fetchAccountsFile = path(
        "fetch_accounts_file", default: "/etc/madoguchi/fetch/mailboxes",
        "The mailboxes fetch-forwarded-mail fetches, with their passwords; readable only by its user.")

    /// `fetch_state_directory`: the directory of the fetcher's state and status files.
    public static let fetchStateDirectory = path(
        "fetch_state_directory", default: "/var/lib/madoguchi/fetch",
        "Where fetch-forwarded-mail records what it has taken from each mailbox.")
}

extension ConfigKey<Double> {
    /// `fetch_connect_timeout`, in seconds.
    public static let fetchConnectTimeout = duration(
        "fetch_connect_timeout", default: "30s",
        "How long connecting to a mail server (TCP and TLS handshake) may take.")

    /// `fetch_read_timeout`, in seconds.
    public static let fetchReadTimeout = duration(
        "fetch_read_timeout", default: "60s",
        "How long one read from or write to a mail server may block.")

    /// `fetch_session_timeout`, in seconds.
    public static let fetchSessionTimeout = duration(
        "fetch_session_timeout", default: "10m",
        "Longest whole POP3/IMAP session; a slow server is cut off and the run exits 75.")
}

extension ConfigKey<Int64> {
    /// `fetch_max_line_length`, in bytes.
    public static let fetchMaxLineLength = size(
        "fetch_max_line_length", default: "64k",
        "Longest protocol line (response or message line) accepted from a mail server.")

    /// `fetch_max_messages`: a count of messages per mailbox and run.
    public static let fetchMaxMessages = integer(
        "fetch_max_messages", default: "500",
        "Most messages fetched from one mailbox in one run; the rest wait for the next run.")
}
