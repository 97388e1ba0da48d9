// DisplayTime: times as the operator reads them, in the page's time zone
// (`web_time_zone`, default Asia/Tokyo): today as `10:42`, yesterday as 昨日 /
// Yesterday, older as `2026-12-02 10:42`; elapsed times as 15分 / 2時間 / 3日.
// Arithmetic on the zone's offset for that instant, no formatter per request; the
// offsets of the days around the start are looked up once (a TimeZone lookup per
// time shown was a thirtieth of the inbox page's CPU time).

import Foundation
import MadoguchiMail

/// Formats times for the page.
public struct DisplayTime: Sendable {
    /// The zone times are shown in.
    public let zone: TimeZone
    /// The UTC day number `offsets[0]` starts.
    private let firstDay: Int64
    /// The zone's offset at the start (00:00 UTC) of each day from `firstDay`; a day
    /// whose offset differs from the next day's holds a transition and is looked up
    /// exactly.
    private let offsets: [Int32]

    /// Creates a formatter for `zone`.
    public init(zone: TimeZone) {
        self.init(zone: zone, around: Int64(Date().timeIntervalSince1970))
    }

    /// A formatter with the day offsets of ten years before and three after `now`.
    init(zone: TimeZone, around now: Int64) {
        self.zone = zone
        let today = Self.floorDiv(now, 86400)
        firstDay = today - 3653
        offsets = (firstDay...(today + 1096)).map { day in
            Int32(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(day * 86400))))
        }
    }

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
        var text: [UInt8] = []
        text.reserveCapacity(16)
        text.append(contentsOf: String(year).utf8)
        text.append(UInt8(ascii: "-"))
        Self.appendTwo(Int64(month), to: &text)
        text.append(UInt8(ascii: "-"))
        Self.appendTwo(Int64(date), to: &text)
        text.append(UInt8(ascii: " "))
        text.append(contentsOf: clock.utf8)
        return String(decoding: text, as: UTF8.self)
    }

    /// The time from `time` to `now`: minutes under an hour, hours under a day, else days.
    public func elapsed(since time: Int64, now: Int64, language: Language) -> String {
        let seconds = max(0, now - time)
        let (value, ja, en): (Int64, String, String) =
            seconds < 3600
            ? (seconds / 60, "分", " min")
            : seconds < 86400 ? (seconds / 3600, "時間", " h") : (seconds / 86400, "日", " d")
        return String(value) + (language == .ja ? ja : en)
    }

    /// The zone's offset from UTC at `time`, in seconds.
    func offset(at time: Int64) -> Int64 {
        let index = Self.floorDiv(time, 86400) - firstDay
        if index >= 0 && index + 1 < offsets.count && offsets[Int(index)] == offsets[Int(index) + 1] {
            return Int64(offsets[Int(index)])
        }
        return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(time))))
    }

    /// The local day number (days since 1970-01-01 in the zone) and `HH:MM`.
    private func local(_ time: Int64) -> (day: Int64, clock: String) {
        let local = time + offset(at: time)
        let day = Self.floorDiv(local, 86400)
        let seconds = local - day * 86400
        var clock: [UInt8] = []
        clock.reserveCapacity(5)
        Self.appendTwo(seconds / 3600, to: &clock)
        clock.append(UInt8(ascii: ":"))
        Self.appendTwo(seconds % 3600 / 60, to: &clock)
        return (day, String(decoding: clock, as: UTF8.self))
    }

    private static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }

    /// Two digits of a value under 100.
    private static func appendTwo(_ value: Int64, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: 0x30 + value / 10))
        bytes.append(UInt8(truncatingIfNeeded: 0x30 + value % 10))
    }
}
