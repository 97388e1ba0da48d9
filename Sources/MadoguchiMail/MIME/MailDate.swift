// MailDate: RFC 5322 date-time to Unix seconds, with the obsolete forms (two- and
// three-digit years, zone names, military zones as -0000, comments, missing
// seconds, missing day name, a missing zone read as UTC) and the common "JST".
// Anything invalid (bad day, month, time or offset) gives nil.

/// Parsing of RFC 5322 dates.
public enum MailDate {
    /// Parses a Date header value.
    /// - Parameter raw: the unfolded field value.
    /// - Returns: Unix seconds (UTC), or nil if the value is not a valid date.
    public static func parse(_ raw: [UInt8]) -> Int64? {
        // Tokens: numbers, words, and signed zone offsets; comments and punctuation dropped.
        var tokens: [(word: [UInt8], isNumber: Bool, sign: Int)] = []
        var index = 0
        let count = raw.count
        while index < count {
            let byte = raw[index]
            if byte == 0x28 {
                var depth = 0
                while index < count {
                    if raw[index] == 0x28 { depth += 1 }
                    if raw[index] == 0x29 {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    index += 1
                }
                index += 1
                continue
            }
            if byte >= 0x30 && byte <= 0x39
                || ((byte == 0x2B || byte == 0x2D) && index + 1 < count
                    && raw[index + 1] >= 0x30 && raw[index + 1] <= 0x39 && !tokens.isEmpty)
            {
                let sign = byte == 0x2B ? 1 : byte == 0x2D ? -1 : 0
                if sign != 0 { index += 1 }
                var digits = [UInt8]()
                while index < count && raw[index] >= 0x30 && raw[index] <= 0x39 && digits.count < 9 {
                    digits.append(raw[index])
                    index += 1
                }
                tokens.append((digits, true, sign))
                continue
            }
            if (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A {
                var word = [UInt8]()
                while index < count && (raw[index] | 0x20) >= 0x61 && (raw[index] | 0x20) <= 0x7A && word.count < 16 {
                    word.append(raw[index] | 0x20)
                    index += 1
                }
                tokens.append((word, false, 0))
                continue
            }
            if byte == 0x3A {
                tokens.append(([0x3A], false, 0))
            }
            index += 1
        }
        // Drop a leading day name.
        var position = 0
        if position < tokens.count, !tokens[position].isNumber, dayNames.contains(tokens[position].word) {
            position += 1
        }
        func number(_ token: (word: [UInt8], isNumber: Bool, sign: Int)) -> Int? {
            guard token.isNumber, token.sign == 0, !token.word.isEmpty else { return nil }
            return token.word.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard position + 2 < tokens.count, let day = number(tokens[position]),
            let month = monthNames.firstIndex(of: tokens[position + 1].word),
            var year = number(tokens[position + 2])
        else { return nil }
        let yearDigits = tokens[position + 2].word.count
        if yearDigits == 2 { year += year < 50 ? 2000 : 1900 } else if yearDigits == 3 { year += 1900 }
        position += 3
        guard position < tokens.count, let hour = number(tokens[position]) else { return nil }
        position += 1
        guard position + 1 < tokens.count, tokens[position].word == [0x3A], let minute = number(tokens[position + 1])
        else { return nil }
        position += 2
        var second = 0
        if position + 1 < tokens.count, tokens[position].word == [0x3A] {
            guard let value = number(tokens[position + 1]) else { return nil }
            second = value
            position += 2
        }
        var offset = 0
        if position < tokens.count {
            let zone = tokens[position]
            if zone.isNumber {
                guard zone.sign != 0, zone.word.count == 4 else { return nil }
                let value = zone.word.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                guard value % 100 < 60 else { return nil }
                offset = zone.sign * (value / 100 * 3600 + value % 100 * 60)
            } else {
                // Named zones; unknown names (incl. military letters) count as -0000.
                offset = (zoneNames[zone.word] ?? 0) * 3600
            }
        }
        let monthDays = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard year >= 1900, year <= 9999, day >= 1, day <= monthDays[month], hour <= 23, minute <= 59,
            second <= 60
        else { return nil }
        let days = daysFromCivil(year: year, month: month + 1, day: day)
        return Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
    }

    private static let dayNames: [[UInt8]] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { Array($0.utf8) }
    private static let monthNames: [[UInt8]] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ].map { Array($0.utf8) }
    private static let zoneNames: [[UInt8]: Int] = [
        Array("ut".utf8): 0, Array("utc".utf8): 0, Array("gmt".utf8): 0, Array("z".utf8): 0,
        Array("est".utf8): -5, Array("edt".utf8): -4, Array("cst".utf8): -6, Array("cdt".utf8): -5,
        Array("mst".utf8): -7, Array("mdt".utf8): -6, Array("pst".utf8): -8, Array("pdt".utf8): -7,
        Array("jst".utf8): 9,
    ]

    private static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Formats Unix seconds as ISO 8601 UTC, e.g. `2023-04-04T01:00:00Z`.
    public static func iso8601(_ seconds: Int64) -> String {
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let rest = Int(seconds - Int64(days) * 86400)
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var yearText = "\(year)"
        while yearText.count < 4 { yearText = "0" + yearText }
        return "\(yearText)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }
}
