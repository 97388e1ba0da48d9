// InstanceLayout: the fixed layout of a self-contained instance created by
// `madoguchi init --dir DIR`. Other tools and outside checks rely on these paths.

/// Paths of a self-contained instance under one directory.
public struct InstanceLayout: Sendable, Equatable {
    /// The instance directory (absolute).
    public let root: String

    /// Creates the layout for `root` (made absolute against the working directory).
    public init(root: String, workingDirectory: String) {
        var absolute = root.hasPrefix("/") ? root : workingDirectory + "/" + root
        while absolute.count > 1 && absolute.hasSuffix("/") { absolute.removeLast() }
        self.root = absolute
    }

    /// `DIR/madoguchi.conf`.
    public var configurationFile: String { root + "/madoguchi.conf" }
    /// `DIR/keys` (mode 0700; key files 0600).
    public var keyDirectory: String { root + "/keys" }
    /// `DIR/spool` with `tmp/` and `incoming/`.
    public var spoolDirectory: String { root + "/spool" }
    /// `DIR/data` holding the database.
    public var dataDirectory: String { root + "/data" }
    /// `DIR/data/madoguchi.db`.
    public var databaseFile: String { dataDirectory + "/madoguchi.db" }
    /// `DIR/tls`.
    public var tlsDirectory: String { root + "/tls" }
    /// `DIR/tls/cert.pem`.
    public var certificateFile: String { tlsDirectory + "/cert.pem" }
    /// `DIR/tls/key.pem`.
    public var certificateKeyFile: String { tlsDirectory + "/key.pem" }
    /// `DIR/run` for lock files.
    public var lockDirectory: String { root + "/run" }
    /// `DIR/fetch/mailboxes`: the fetcher's accounts file (created by `madoguchi mailbox add`).
    public var fetchAccountsFile: String { root + "/fetch/mailboxes" }
    /// `DIR/fetch-state`: the fetcher's state and status files.
    public var fetchStateDirectory: String { root + "/fetch-state" }

    /// The configuration file `init` writes: every path absolute into the instance.
    public func configurationText(createdAt: String) -> String {
        """
        # Madoguchi instance created by `madoguchi init` on \(createdAt).
        # Every parameter is described in madoguchi.conf(5).
        database_file = \(databaseFile)
        key_directory = \(keyDirectory)
        spool_directory = \(spoolDirectory)
        lock_directory = \(lockDirectory)
        fetch_accounts_file = \(fetchAccountsFile)
        fetch_state_directory = \(fetchStateDirectory)
        tls_certificate_file = \(certificateFile)
        tls_key_file = \(certificateKeyFile)
        log_destination = stderr

        """
    }
}
