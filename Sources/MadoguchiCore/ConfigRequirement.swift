// ConfigRequirement: whether a program needs madoguchi.conf or may run on built-in
// defaults when it is absent.

/// How a program treats the configuration file.
public enum ConfigRequirement: Sendable {
    /// The file must exist and be valid.
    case required
    /// Use it when present; without `--config` and with no file at the default
    /// path, run on built-in defaults.
    case optional
}
