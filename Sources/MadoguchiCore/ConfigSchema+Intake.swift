// ConfigSchema+Intake: parameters of the intake path (fetcher files, quarantine,
// search). Fetch timeouts and clamd settings live in their own tables.

extension ConfigSchema {
    /// Intake: the fetcher's own files, quarantine retention, search limits.
    public static let intake: [ConfigParameter] = [
        ConfigParameter(
            "fetch_accounts_file", .path, default: "/etc/madoguchi/fetch/mailboxes",
            "The mailboxes fetch-forwarded-mail fetches, with their passwords; readable only by its user."),
        ConfigParameter(
            "fetch_state_directory", .path, default: "/var/lib/madoguchi/fetch",
            "Where fetch-forwarded-mail records what it has taken from each mailbox."),
        ConfigParameter(
            "quarantine_days", .integer, default: "30",
            "Days an infected message is kept in quarantine before scan-and-file purges it."),
        ConfigParameter(
            "search_candidate_limit", .integer, default: "2000",
            "Most index candidates one search decrypts and confirms before asking for a narrower query."),
    ]
}
