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
        let (day, minutes) = local(time)
        let (today, _) = local(now)
        if day == today { return Self.text(count: 5) { Self.appendClock(minutes, to: &$0) } }
        if day == today - 1 {
            return Word.yesterday.text(language) + " " + Self.text(count: 5) { Self.appendClock(minutes, to: &$0) }
        }
        return full(time)
    }

    /// `2026-12-02 10:42` in the zone.
    public func full(_ time: Int64) -> String {
        let (day, minutes) = local(time)
        let (year, month, date) = MailDate.civil(fromDays: Int(day))
        // Four-digit years are written in place; others get their decimal text in front.
        let fourDigits = (1000...9999).contains(year)
        let text = Self.text(count: fourDigits ? 16 : 12) { text in
            if fourDigits {
                Self.appendTwo(Int64(year / 100), to: &text)
                Self.appendTwo(Int64(year % 100), to: &text)
            }
            text.append(UInt8(ascii: "-"))
            Self.appendTwo(Int64(month), to: &text)
            text.append(UInt8(ascii: "-"))
            Self.appendTwo(Int64(date), to: &text)
            text.append(UInt8(ascii: " "))
            Self.appendClock(minutes, to: &text)
        }
        return fourDigits ? text : String(year) + text
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

    /// The first second after `now` at which `elapsed(since: time, now:)` reads
    /// differently: the next whole minute, hour or day since `time`.
    public func elapsedChanges(since time: Int64, now: Int64) -> Int64 {
        let seconds = max(0, now - time)
        let unit: Int64 = seconds < 3600 ? 60 : seconds < 86400 ? 3600 : 86400
        return time + (seconds / unit + 1) * unit
    }

    /// A second after `now`, no later than the next local midnight, at which `short(_:now:)`
    /// may first read differently (today becomes yesterday). Taken with the larger of the
    /// offsets now and a day later, it is early rather than late across a DST change.
    public func shortChanges(now: Int64) -> Int64 {
        let offset = max(offset(at: now), offset(at: now + 86400))
        let (today, _) = local(now)
        return max(now + 1, (today + 1) * 86400 - offset)
    }

    /// The zone's offset from UTC at `time`, in seconds.
    func offset(at time: Int64) -> Int64 {
        let index = Self.floorDiv(time, 86400) - firstDay
        if index >= 0 && index + 1 < offsets.count && offsets[Int(index)] == offsets[Int(index) + 1] {
            return Int64(offsets[Int(index)])
        }
        return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(time))))
    }

    /// The local day number (days since 1970-01-01 in the zone) and the minutes since
    /// local midnight.
    private func local(_ time: Int64) -> (day: Int64, minutes: Int64) {
        let local = time + offset(at: time)
        let day = Self.floorDiv(local, 86400)
        return (day, (local - day * 86400) / 60)
    }

    /// A String of exactly `count` ASCII bytes written by `write`, built in place (no
    /// intermediate array; short ones stay small strings without a heap allocation).
    private static func text(count: Int, _ write: (inout ASCIIWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: count) { buffer in
            var writer = ASCIIWriter(buffer: buffer)
            write(&writer)
            return writer.count
        }
    }

    /// `HH:MM` of the minutes since midnight.
    private static func appendClock(_ minutes: Int64, to text: inout ASCIIWriter) {
        appendTwo(minutes / 60, to: &text)
        text.append(UInt8(ascii: ":"))
        appendTwo(minutes % 60, to: &text)
    }

    /// Writes bytes into a String's uninitialized storage, never past its end.
    private struct ASCIIWriter {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var count = 0

        mutating func append(_ byte: UInt8) {
            guard count < buffer.count else { return }
            buffer[count] = byte
            count += 1
        }
    }

    private static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }

    /// Two digits of a value under 100.
    private static func appendTwo(_ value: Int64, to bytes: inout ASCIIWriter) {
        bytes.append(UInt8(truncatingIfNeeded: 0x30 + value / 10))
        bytes.append(UInt8(truncatingIfNeeded: 0x30 + value % 10))
    }
}
