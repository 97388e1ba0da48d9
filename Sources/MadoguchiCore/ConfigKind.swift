// ConfigKind: the value type of a madoguchi.conf parameter (duration, size, integer, ...)
// and the check that a value is of that type.

/// The value type of a configuration parameter, with the units it accepts.
public enum ConfigKind: Sendable, Equatable {
    /// Free text.
    case string
    /// A file or directory path; relative paths are resolved against the
    /// directory holding the configuration file.
    case path
    /// A duration: a whole number with unit `s`, `m`, `h`, `d` or `w` (`30s`, `10m`, `7d`).
    case duration
    /// A size in bytes: a whole number, optionally with `k`, `M` or `G` (`64k`, `25M`).
    case size
    /// A non-negative whole number.
    case integer
    /// `yes` or `no`.
    case boolean
    /// One of a fixed set of words.
    case choice([String])
}

extension ConfigKind {
    /// Checks that `text` is a valid value of this kind.
    /// - Returns: nil when valid, else a short reason.
    func validate(_ text: String) -> String? {
        switch self {
        case .string, .path:
            return nil
        case .duration:
            return ConfigUnits.seconds(text) == nil
                ? "expected a duration like 30s, 10m, 2h, 7d or 1w" : nil
        case .size:
            return ConfigUnits.bytes(text) == nil ? "expected a size like 512, 64k, 25M or 1G" : nil
        case .integer:
            return ConfigUnits.integer(text) == nil ? "expected a non-negative whole number" : nil
        case .boolean:
            return ConfigUnits.boolean(text) == nil ? "expected yes or no" : nil
        case .choice(let words):
            return words.contains(text) ? nil : "expected one of: " + words.joined(separator: ", ")
        }
    }
}
