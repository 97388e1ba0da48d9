// ConfigSchema+Paths: the *_directory parameters locating the instance's keys, spool
// and lock files. The database and the TLS files have their own prefixes.

extension ConfigKey<String> {
    /// `key_directory`: the directory of the master key file and the spool key pair.
    public static let keyDirectory = path(
        "key_directory", default: "/etc/madoguchi/keys",
        "Directory holding the master key file and the spool key pair.")

    /// `spool_directory`: the directory of the sealed incoming mail spool.
    public static let spoolDirectory = path(
        "spool_directory", default: "/var/spool/madoguchi",
        "Directory holding the sealed incoming mail spool (tmp and incoming).")

    /// `lock_directory`: the directory of the per-program lock files.
    public static let lockDirectory = path(
        "lock_directory", default: "/run/madoguchi",
        "Directory for the per-program lock files.")
}
