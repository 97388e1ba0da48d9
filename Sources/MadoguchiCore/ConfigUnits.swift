// ConfigUnits: the unit syntax of madoguchi.conf values, as in Postfix main.cf: durations
// (`30s`, `10m`, `7d`), sizes (`64k`, `25M`), whole numbers and yes/no.

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
