// DisplayTime: times as the operator reads them, in the page's time zone
// (`web_time_zone`, default Asia/Tokyo): today as `10:42`, yesterday as 昨日 /
// Yesterday, older as `2026-12-02 10:42`; elapsed times as 15分 / 2時間 / 3日.
// Arithmetic on the zone's offset for that instant, no formatter per request.

import Foundation
import MadoguchiMail

/// Formats times for the page.
public struct DisplayTime: Sendable {
    /// The zone times are shown in.
    public let zone: TimeZone

    /// Creates a formatter for `zone`.
    public init(zone: TimeZone) { self.zone = zone }

    /// A zone by its IANA name; nil when the system does not know it.
    public init?(zoneName: String) {
        guard let zone = TimeZone(identifier: zoneName) else { return nil }
        self.init(zone: zone)
    }

    /// `time` relative to `now`: the time alone today, 昨日 (Yesterday) with the time
    /// yesterday, otherwise the date and time.
    public func short(_ time: Int64, now: Int64, language: Language) -> String {
        let (day, clock) = local(time)
        let (today, _) = local(now)
        if day == today { return clock }
        if day == today - 1 { return Word.yesterday.text(language) + " " + clock }
        return full(time)
    }

    /// `2026-12-02 10:42` in the zone.
    public func full(_ time: Int64) -> String {
        let (day, clock) = local(time)
        let (year, month, date) = MailDate.civil(fromDays: Int(day))
        return "\(year)-\(Self.two(Int64(month)))-\(Self.two(Int64(date))) \(clock)"
    }

    /// The time from `time` to `now`: minutes under an hour, hours under a day, else days.
    public func elapsed(since time: Int64, now: Int64, language: Language) -> String {
        let seconds = max(0, now - time)
        let (value, ja, en): (Int64, String, String) =
            seconds < 3600
            ? (seconds / 60, "分", " min")
            : seconds < 86400 ? (seconds / 3600, "時間", " h") : (seconds / 86400, "日", " d")
        return "\(value)" + (language == .ja ? ja : en)
    }

    /// The local day number (days since 1970-01-01 in the zone) and `HH:MM`.
    private func local(_ time: Int64) -> (day: Int64, clock: String) {
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(time))))
        let local = time + offset
        let day = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let seconds = local - day * 86400
        return (day, Self.two(seconds / 3600) + ":" + Self.two(seconds % 3600 / 60))
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
