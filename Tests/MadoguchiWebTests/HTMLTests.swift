// HTML: interpolated text and attribute values are escaped, literals and nested HTML
// are not; controls become U+FFFD. Language from Accept-Language. DisplayTime in the
// page's zone: today, yesterday, older, elapsed.

import Foundation
import Testing

@testable import MadoguchiWeb

@Suite struct HTMLTests {
    @Test("interpolated text is escaped in text and attributes; nested HTML is not")
    func escaping() {
        let hostile = "<script>alert('x')</script> & \"q\" \u{0}\u{1B}"
        let inner: HTML = "<b>\(hostile)</b>"
        let html: HTML = "<p title=\"\(hostile)\">\(inner)\(Optional<String>.none)\(42)</p>"
        #expect(
            String(decoding: html.bytes, as: UTF8.self)
                == "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; \u{FFFD}\u{FFFD}\">"
                + "<b>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; \u{FFFD}\u{FFFD}</b>42</p>")
        let list = HTML.each(["a<", "b&"]) { "<li>\($0)</li>" }
        #expect(String(decoding: list.bytes, as: UTF8.self) == "<li>a&lt;</li><li>b&amp;</li>")
        #expect(String(decoding: HTML.sanitized("<i>ok</i>").bytes, as: UTF8.self) == "<i>ok</i>")
    }

    @Test(
        "Accept-Language picks ja or en by q-value, Japanese by default",
        arguments: [
            (nil, Language.ja), ("en-US,en;q=0.9", .en), ("en;q=0.5, ja;q=0.8", .ja), ("fr, en;q=0.3", .en),
            ("fr", .ja), ("*", .ja), ("en;q=0", .ja), ("ja-JP", .ja), ("EN", .en), ("", .ja),
        ] as [(String?, Language)])
    func language(header: String?, expected: Language) {
        #expect(Language.preferred(acceptLanguage: header) == expected)
    }

    @Test("times in Asia/Tokyo: today as HH:MM, yesterday, older with the date; elapsed in minutes, hours, days")
    func times() throws {
        let tokyo = try #require(DisplayTime(zoneName: "Asia/Tokyo"))
        // 2026-12-02 10:42 JST = 01:42 UTC.
        let time: Int64 = 1_796_175_720
        #expect(tokyo.full(time) == "2026-12-02 10:42")
        #expect(tokyo.short(time, now: time + 3600, language: .ja) == "10:42")
        #expect(tokyo.short(time, now: time + 86400, language: .ja) == "昨日 10:42")
        #expect(tokyo.short(time, now: time + 86400, language: .en) == "Yesterday 10:42")
        #expect(tokyo.short(time, now: time + 3 * 86400, language: .en) == "2026-12-02 10:42")
        // 23:59 JST and 00:01 JST the next day are different days although 2 minutes apart.
        #expect(tokyo.short(time + 47_820, now: time + 47_940, language: .ja) == "昨日 23:59")
        #expect(tokyo.elapsed(since: time, now: time + 59, language: .ja) == "0分")
        #expect(tokyo.elapsed(since: time, now: time + 2 * 3600 + 5, language: .ja) == "2時間")
        #expect(tokyo.elapsed(since: time, now: time + 86400, language: .en) == "1 d")
        #expect(DisplayTime(zoneName: "Nowhere/Nothing") == nil)
        let utc = try #require(DisplayTime(zoneName: "UTC"))
        #expect(utc.full(0) == "1970-01-01 00:00" && utc.full(951_782_400) == "2000-02-29 00:00")
    }

    @Test(
        "an elapsed time reads the same every second until elapsedChanges and differently at it; a short time until shortChanges, DST included",
        arguments: ["Asia/Tokyo", "America/New_York", "Australia/Lord_Howe"])
    func changes(zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let base: Int64 = 1_796_175_720
        let time = DisplayTime(zone: zone, around: base)
        for since in [base, base + 37, base - 3541, base - 86_399, base - 86_400 * 3 - 1] {
            for now in [base, base + 59, base + 61] {
                let changes = time.elapsedChanges(since: since, now: now)
                #expect(changes > now)
                let shown = time.elapsed(since: since, now: now, language: .ja)
                for second in stride(from: now, to: changes, by: Int(max(1, (changes - now) / 500))) {
                    #expect(time.elapsed(since: since, now: second, language: .ja) == shown)
                }
                #expect(time.elapsed(since: since, now: changes - 1, language: .ja) == shown)
                #expect(time.elapsed(since: since, now: changes, language: .ja) != shown, "\(since) \(now)")
            }
        }
        // Every hour of the days around each transition of two years: a time of the
        // day before, today and tomorrow reads the same until shortChanges.
        var nows: [Int64] = []
        var date = Date(timeIntervalSince1970: Double(base - 365 * 86400))
        while let transition = zone.nextDaylightSavingTimeTransition(after: date),
            transition.timeIntervalSince1970 < Double(base + 365 * 86400)
        {
            let at = Int64(transition.timeIntervalSince1970)
            nows += stride(from: at - 2 * 86400, through: at + 86400, by: 3600)
            date = transition
        }
        nows += stride(from: base, through: base + 2 * 86400, by: 1800)
        for now in nows {
            let changes = time.shortChanges(now: now)
            #expect(changes > now && changes <= now + 90_000)
            for shown in [now - 86400, now - 3600, now, now + 3600] {
                let text = time.short(shown, now: now, language: .ja)
                for second in stride(from: now, to: changes, by: 600) {
                    #expect(time.short(shown, now: second, language: .ja) == text, "\(zoneName) \(now) \(second)")
                }
                #expect(time.short(shown, now: changes - 1, language: .ja) == text, "\(zoneName) \(now)")
            }
        }
    }

    @Test("times written in place keep every field: years of other than four digits, midnight, the epoch")
    func timesOutsideFourDigitYears() throws {
        let utc = try #require(DisplayTime(zoneName: "UTC"))
        #expect(utc.full(0) == "1970-01-01 00:00")
        #expect(utc.full(420) == "1970-01-01 00:07")
        #expect(utc.full(-30_636_384_840) == "999-03-04 05:06")
        #expect(utc.full(253_402_300_800 + 86400 + 13 * 3600 + 5 * 60) == "10000-01-02 13:05")
        #expect(utc.short(86399, now: 86400, language: .en) == "Yesterday 23:59")
        #expect(utc.short(86400 * 2 - 1, now: 86400 * 2 - 1, language: .ja) == "23:59")
    }

    @Test(
        "the day offsets looked up once agree with the zone at every time, transitions included",
        arguments: ["Asia/Tokyo", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu"])
    func offsets(zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let now: Int64 = 1_796_175_720
        let time = DisplayTime(zone: zone, around: now)
        var generator = SystemRandomNumberGenerator()
        // Random times inside the table and outside it, and every 13 minutes around
        // each transition of the last years.
        var times = (0..<3000).map { _ in
            Int64.random(in: (now - 20 * 365 * 86400)...(now + 10 * 365 * 86400), using: &generator)
        }
        var date = Date(timeIntervalSince1970: Double(now - 11 * 365 * 86400))
        while let transition = zone.nextDaylightSavingTimeTransition(after: date),
            transition.timeIntervalSince1970 < Double(now + 4 * 365 * 86400)
        {
            let at = Int64(transition.timeIntervalSince1970)
            times += stride(from: at - 86400, through: at + 86400, by: 780)
            times += [at - 1, at, at + 1]
            date = transition
        }
        for value in times {
            #expect(
                time.offset(at: value) == Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(value)))),
                "\(zoneName) \(value)")
        }
    }
}
