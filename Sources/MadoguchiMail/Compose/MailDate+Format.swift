// MailDate+Format: the RFC 5322 date-time of an outgoing Date header
// (section 3.3): "Tue, 4 Apr 2023 10:00:00 +0900", English day and month names,
// the zone as a numeric offset.

extension MailDate {
    private static let dayNames = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let monthAbbreviations = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// The Date header value for a moment.
    /// - Parameters:
    ///   - seconds: Unix seconds.
    ///   - offset: the zone's offset from UTC in seconds (rounded down to minutes).
    /// - Returns: e.g. `Tue, 4 Apr 2023 10:00:00 +0900`.
    public static func format(_ seconds: Int64, offset: Int) -> String {
        let minutes = offset >= 0 ? offset / 60 : -((-offset) / 60)
        let local = seconds + Int64(minutes * 60)
        let days = Int(local >= 0 ? local / 86400 : (local - 86399) / 86400)
        let rest = Int(local - Int64(days) * 86400)
        let (year, month, day) = civil(fromDays: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let weekday = dayNames[((days % 7) + 7) % 7]
        let zone = (minutes < 0 ? "-" : "+") + two(abs(minutes) / 60) + two(abs(minutes) % 60)
        return "\(weekday), \(day) \(monthAbbreviations[month - 1]) \(year) "
            + "\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60)) \(zone)"
    }
}
