// ConfigSchema: every parameter madoguchi.conf may contain, declared once with its
// default. All programs share one file, so each accepts every declared name and
// rejects anything else with the line number. Areas add their tables in
// `ConfigSchema+Area.swift` files and list them in `all`.

/// The declared parameters of madoguchi.conf.
public enum ConfigSchema {
    /// Every declared parameter, in documentation order.
    public static let all: [ConfigParameter] =
        paths + database + logging + mailParsing + intake + crypto + fetch + scan + filing

    /// Looks a parameter up by name.
    public static func parameter(named name: String) -> ConfigParameter? {
        byName[name]
    }

    private static let byName: [String: ConfigParameter] = Dictionary(
        all.map { ($0.name, $0) },
        uniquingKeysWith: { first, _ in preconditionFailure("duplicate parameter \(first.name)") }
    )

    /// Locations of the instance's files.
    public static let paths: [ConfigParameter] = [
        ConfigParameter(
            "database_file", .path, default: "/var/lib/madoguchi/data/madoguchi.db",
            "The encrypted SQLite database shared by all programs."),
        ConfigParameter(
            "key_directory", .path, default: "/etc/madoguchi/keys",
            "Directory holding the master key file and the spool key pair."),
        ConfigParameter(
            "spool_directory", .path, default: "/var/spool/madoguchi",
            "Directory holding the sealed incoming mail spool (tmp and incoming)."),
        ConfigParameter(
            "lock_directory", .path, default: "/run/madoguchi",
            "Directory for the per-program lock files."),
        ConfigParameter(
            "tls_certificate_file", .path, default: "/etc/madoguchi/tls/cert.pem",
            "PEM certificate (chain) of the web page."),
        ConfigParameter(
            "tls_key_file", .path, default: "/etc/madoguchi/tls/key.pem",
            "PEM private key of the web page certificate."),
    ]

    /// Database behaviour.
    public static let database: [ConfigParameter] = [
        ConfigParameter(
            "database_busy_timeout", .duration, default: "10s",
            "How long a program waits for another program's write transaction before giving up (exit 75).")
    ]

    /// Logging.
    public static let logging: [ConfigParameter] = [
        ConfigParameter(
            "log_destination", .choice(["stderr", "syslog"]), default: "stderr",
            "Where programs write their log lines: stderr (mailed by cron) or syslog (facility mail).")
    ]

    /// Limits of the mail parser.
    public static let mailParsing: [ConfigParameter] = [
        ConfigParameter(
            "mail_max_message_size", .size, default: "25M",
            "Largest message accepted; larger ones are held as oversize with their headers."),
        ConfigParameter(
            "mail_max_mime_depth", .integer, default: "32",
            "Deepest nesting of multipart and message/rfc822 parts before a message is malformed."),
        ConfigParameter(
            "mail_max_mime_parts", .integer, default: "1000",
            "Most MIME parts in one message before it is malformed."),
        ConfigParameter(
            "mail_max_header_fields", .integer, default: "1000",
            "Most header fields in one header block before a message is malformed."),
        ConfigParameter(
            "mail_max_header_size", .size, default: "256k",
            "Largest header block (all fields of one part) before a message is malformed."),
    ]
}
