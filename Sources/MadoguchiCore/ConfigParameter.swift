// ConfigParameter: one declared madoguchi.conf parameter with its type and default,
// in the manner of Postfix's CONFIG_*_TABLE. Every parameter must also be
// documented in madoguchi.conf(5); a test enforces that.

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

/// A declared configuration parameter.
public struct ConfigParameter: Sendable, Hashable {
    /// The snake_case name used in madoguchi.conf.
    public let name: String
    /// The value type.
    public let kind: ConfigKind
    /// The default, written as it would be in the file.
    public let defaultValue: String
    /// One sentence for `madoguchi.conf(5)` and `-n -v` output.
    public let summary: String

    /// Declares a parameter.
    public init(_ name: String, _ kind: ConfigKind, default defaultValue: String, _ summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
    }

    public static func == (lhs: ConfigParameter, rhs: ConfigParameter) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
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

/// Parsers for the unit syntax of madoguchi.conf values.
public enum ConfigUnits {
    /// Parses `30s`, `10m`, `2h`, `7d`, `1w` (a bare number means seconds).
    /// - Returns: seconds, or nil when malformed or out of range.
    public static func seconds(_ text: String) -> Int64? {
        let (number, unit) = split(text)
        guard let value = number else { return nil }
        let factor: Int64
        switch unit {
        case "", "s": factor = 1
        case "m": factor = 60
        case "h": factor = 3600
        case "d": factor = 86400
        case "w": factor = 7 * 86400
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    /// Parses `512`, `64k`, `25M`, `1G` (binary multiples).
    /// - Returns: bytes, or nil when malformed or out of range.
    public static func bytes(_ text: String) -> Int64? {
        let (number, unit) = split(text)
        guard let value = number else { return nil }
        let factor: Int64
        switch unit {
        case "", "b", "B": factor = 1
        case "k", "K": factor = 1024
        case "m", "M": factor = 1024 * 1024
        case "g", "G": factor = 1024 * 1024 * 1024
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    /// Parses a non-negative decimal integer.
    public static func integer(_ text: String) -> Int64? {
        let (number, unit) = split(text)
        return unit.isEmpty ? number : nil
    }

    /// Parses `yes`/`no` (also `true`/`false`, `on`/`off`, `1`/`0`).
    public static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "true", "on", "1": true
        case "no", "false", "off", "0": false
        default: nil
        }
    }

    private static func split(_ text: String) -> (Int64?, String) {
        let bytes = Array(text.utf8)
        var index = 0
        var value: Int64 = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int64(bytes[index] - 0x30))
            if o1 || o2 || index >= 18 { return (nil, "") }
            value = sum
            index += 1
        }
        if index == 0 { return (nil, "") }
        return (value, String(decoding: bytes[index...], as: UTF8.self))
    }
}
