// HTTPDate: the IMF-fixdate of RFC 9110 section 5.6.7 for the Date header, formatted with
// gmtime_r and cached per second (no Foundation formatting per request). One
// instance per connection thread: not shared, so no lock.

import Glibc

/// A per-thread cache of the current `Date` header value.
struct HTTPDate {
    private var second = -1
    private(set) var bytes: [UInt8] = []

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The value for now, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    mutating func now() -> [UInt8] {
        let current = time(nil)
        if current != second {
            second = current
            bytes = HTTPDate.format(current)
        }
        return bytes
    }

    /// Formats seconds since the epoch.
    /// - Parameter seconds: a `time_t`.
    /// - Returns: the IMF-fixdate bytes.
    static func format(_ seconds: Int) -> [UInt8] {
        var clock = seconds
        var parts = tm()
        gmtime_r(&clock, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text =
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
        return Array(text.utf8)
    }
}
