// MailDate: RFC 5322 date-time to Unix seconds, with the obsolete forms (two- and
// three-digit years, zone names, military zones as -0000, comments, missing
// seconds, missing day name, a missing zone read as UTC) and what real mailers
// write besides: any day name ("Thursday", "Do", "jeu."), long and German, French,
// Spanish, Italian, Portuguese and Dutch month names ("November", "Mär", "déc."),
// "14-Nov-2002", asctime ("Thu Nov 14 10:00:00 2002", also with a zone before the
// year), "Nov 14, 2002 10:00 PM", and the common "JST" and European zone names.
// Anything invalid (bad day, month, time or offset) gives nil.

/// Parsing of RFC 5322 dates.
public enum MailDate {
    private struct Token {
        /// Digits, or a lower-cased word (ASCII letters and 8-bit bytes), or ":".
        var word: [UInt8]
        var isNumber: Bool
        /// -1 or +1 for a number written with a sign, else 0.
        var sign: Int
    }

    private static let colon: [UInt8] = [0x3A]

    /// Parses a Date header value.
    /// - Parameter raw: the unfolded field value.
    /// - Returns: Unix seconds (UTC), or nil if the value is not a valid date.
    public static func parse(_ raw: [UInt8]) -> Int64? {
        let tokens = tokenize(raw)
        // Words before the first number are day names in any language; a month name
        // right before it is the asctime or US order ("Nov 14").
        guard let first = tokens.firstIndex(where: { $0.isNumber }),
            !tokens[..<first].contains(where: { $0.word == colon }), let day = number(tokens[first])
        else { return nil }
        let month: Int
        var yearToken: Token? = nil
        var position: Int
        if first + 2 < tokens.count, let found = monthNumber(tokens[first + 1]) {
            // RFC 5322 "14 Nov 2002" and "14-Nov-2002" (the year then reads as "-2002").
            month = found
            guard tokens[first + 2].isNumber, tokens[first + 2].sign <= 0 else { return nil }
            yearToken = tokens[first + 2]
            position = first + 3
        } else if first > 0, let found = monthNumber(tokens[first - 1]) {
            month = found
            position = first + 1
            // "Nov 14, 2002 10:00" has the year before the time; asctime after it.
            if position + 1 < tokens.count, tokens[position].isNumber, tokens[position + 1].word != colon {
                yearToken = tokens[position]
                position += 1
            }
        } else {
            return nil
        }
        guard position < tokens.count, var hour = number(tokens[position]) else { return nil }
        position += 1
        guard position + 1 < tokens.count, tokens[position].word == colon, let minute = number(tokens[position + 1])
        else { return nil }
        position += 2
        var second = 0
        if position + 1 < tokens.count, tokens[position].word == colon {
            guard let value = number(tokens[position + 1]) else { return nil }
            second = value
            position += 2
        }
        if position < tokens.count, tokens[position].word == amWord || tokens[position].word == pmWord {
            guard hour >= 1 && hour <= 12 else { return nil }
            hour = hour % 12 + (tokens[position].word == pmWord ? 12 : 0)
            position += 1
        }
        var zoneToken: Token? = nil
        if yearToken == nil {
            // asctime: "10:00:00 2002" or, as date(1) writes, "10:00:00 CET 2002".
            if position < tokens.count, tokens[position].isNumber, tokens[position].sign == 0 {
                yearToken = tokens[position]
                position += 1
            } else if position + 1 < tokens.count, !tokens[position].isNumber, tokens[position + 1].isNumber,
                tokens[position + 1].sign == 0
            {
                zoneToken = tokens[position]
                yearToken = tokens[position + 1]
                position += 2
            }
        }
        guard let yearToken, !yearToken.word.isEmpty else { return nil }
        var year = yearToken.word.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        let yearDigits = yearToken.word.count
        if yearDigits == 2 { year += year < 50 ? 2000 : 1900 } else if yearDigits == 3 { year += 1900 }
        if zoneToken == nil && position < tokens.count { zoneToken = tokens[position] }
        var offset = 0
        if let zone = zoneToken {
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

    /// Numbers, words and signed zone offsets; comments and punctuation dropped.
    private static func tokenize(_ raw: [UInt8]) -> [Token] {
        var tokens: [Token] = []
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
                tokens.append(Token(word: digits, isNumber: true, sign: sign))
                continue
            }
            if isWordByte(byte) {
                // 8-bit bytes belong to words: "Mär" and "déc" in UTF-8 or Latin-1.
                var word = [UInt8]()
                while index < count && isWordByte(raw[index]) && word.count < 16 {
                    let letter = raw[index]
                    word.append(letter >= 0x41 && letter <= 0x5A ? letter | 0x20 : letter)
                    index += 1
                }
                tokens.append(Token(word: word, isNumber: false, sign: 0))
                continue
            }
            if byte == 0x3A {
                tokens.append(Token(word: colon, isNumber: false, sign: 0))
            }
            index += 1
        }
        return tokens
    }

    @inline(__always)
    private static func isWordByte(_ byte: UInt8) -> Bool {
        ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) || byte >= 0x80
    }

    /// The value of an unsigned number token.
    private static func number(_ token: Token) -> Int? {
        guard token.isNumber, token.sign == 0, !token.word.isEmpty else { return nil }
        return token.word.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// The month (0-11) a word names, or nil.
    private static func monthNumber(_ token: Token) -> Int? {
        token.isNumber ? nil : monthNames[token.word]
    }

    private static let amWord: [UInt8] = Array("am".utf8)
    private static let pmWord: [UInt8] = Array("pm".utf8)

    /// Month names and abbreviations, lower case, in UTF-8 and (where accented) Latin-1.
    private static let monthNames: [[UInt8]: Int] = {
        let names: [[String]] = [
            [
                "jan", "january", "januar", "jänner", "jän", "janv", "janvier", "ene", "enero", "gen", "gennaio",
                "janeiro",
            ],
            [
                "feb", "february", "februar", "feber", "févr", "fév", "février", "fevr", "fev", "fevrier", "febrero",
                "febbraio", "fevereiro",
            ],
            ["mar", "march", "märz", "mär", "mrz", "maerz", "mars", "marzo", "março", "maart", "mrt"],
            ["apr", "april", "avr", "avril", "abr", "abril", "aprile"],
            ["may", "mai", "mayo", "mag", "maggio", "maio", "mei"],
            ["jun", "june", "juni", "juin", "junio", "giu", "giugno", "junho"],
            ["jul", "july", "juli", "juil", "juillet", "julio", "lug", "luglio", "julho"],
            ["aug", "august", "août", "aoû", "aout", "ago", "agosto"],
            ["sep", "sept", "september", "septembre", "septiembre", "set", "settembre", "setembro"],
            ["oct", "october", "okt", "oktober", "octobre", "octubre", "ott", "ottobre", "out", "outubro"],
            ["nov", "november", "novembre", "noviembre", "novembro"],
            [
                "dec", "december", "dez", "dezember", "déc", "décembre", "decembre", "dic", "diciembre", "dicembre",
                "dezembro",
            ],
        ]
        var table: [[UInt8]: Int] = [:]
        for (month, spellings) in names.enumerated() {
            for name in spellings {
                table[Array(name.utf8)] = month
                let scalars = name.unicodeScalars
                if scalars.contains(where: { $0.value >= 0x80 }) && scalars.allSatisfy({ $0.value < 0x100 }) {
                    table[scalars.map { UInt8($0.value) }] = month
                }
            }
        }
        return table
    }()

    private static let zoneNames: [[UInt8]: Int] = [
        Array("ut".utf8): 0, Array("utc".utf8): 0, Array("gmt".utf8): 0, Array("z".utf8): 0,
        Array("est".utf8): -5, Array("edt".utf8): -4, Array("cst".utf8): -6, Array("cdt".utf8): -5,
        Array("mst".utf8): -7, Array("mdt".utf8): -6, Array("pst".utf8): -8, Array("pdt".utf8): -7,
        Array("jst".utf8): 9, Array("wet".utf8): 0, Array("west".utf8): 1, Array("cet".utf8): 1,
        Array("cest".utf8): 2, Array("met".utf8): 1, Array("mest".utf8): 2, Array("mez".utf8): 1,
        Array("mesz".utf8): 2, Array("eet".utf8): 2, Array("eest".utf8): 3,
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

    /// The proleptic Gregorian (year, month, day) of a day number (days since
    /// 1970-01-01; Howard Hinnant's civil_from_days).
    public static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Formats Unix seconds as ISO 8601 UTC, e.g. `2023-04-04T01:00:00Z`.
    public static func iso8601(_ seconds: Int64) -> String {
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let rest = Int(seconds - Int64(days) * 86400)
        let (year, month, day) = civil(fromDays: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var yearText = "\(year)"
        while yearText.count < 4 { yearText = "0" + yearText }
        return "\(yearText)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }
}
