// JapaneseScore: how much 8-bit bytes read as Shift_JIS (CP932) or EUC-JP look like
// real Japanese rather than Western text (Latin-1, CP1252) that happens to have a
// valid multibyte shape. Scored by JIS X 0208 row — kana (rows 4-5), symbols,
// full-width letters, Greek, Cyrillic and box drawing (rows 1-8), NEC row 13 and
// level-1 kanji (rows 16-47) are common, everything else is rare — and by runs:
// Japanese characters stand together, while a Western accent or curly quote stands
// alone between ASCII letters. One pass, no allocation.

/// Evidence that bytes are Japanese text in one multibyte encoding.
struct JapaneseScore: Equatable {
    /// Multibyte characters (double-byte characters and half-width kana).
    var characters = 0
    /// Characters that are hardly ever the shape of Western text: kana, common
    /// characters in a run of multibyte characters, a lone common character whose
    /// second byte is ASCII punctuation ("表\"" is 95 5C 22), half-width kana in a
    /// run of three or next to a common double-byte character. Two points each.
    var strong = 0
    /// The strong characters that are double-byte (not half-width kana).
    var strongDouble = 0
    /// Lone common characters and pairs of half-width kana: with an 8-bit second
    /// byte ("式" alone, or CP1252 "d’ê" 92 EA) one point; with an ASCII-letter
    /// second byte (CP1252 "it’s" is 92 73, a level-1 kanji) or half-width (Latin-1
    /// "»«" is BB AB) minus one.
    var weak = 0
    /// Characters outside the common rows, and lone half-width kana (Latin-1 letters
    /// such as "é" E9 or "£" A3 read as Shift_JIS): minus two, minus one in a run.
    var rare = 0
    /// The sum of the points above.
    var points = 0

    /// Plausible Japanese: more points for than against.
    var isPlausible: Bool { points > 0 }

    /// Clearly Japanese: enough to overrule a declared Western label that decodes
    /// without error (two strong double-byte characters, three quarters of all
    /// characters strong, at most an eighth rare).
    var isClear: Bool { strongDouble >= 2 && strong * 4 >= characters * 3 && rare * 8 <= characters }

    /// The rare characters with the shape of Latin-1 accents: an ASCII second byte
    /// ("é" E9 before a letter), a level-2 kanji (rows 63-88: "ção" is E7 E3 6F),
    /// a lone half-width kana.
    var latinShaped = 0

    /// Clearly not Japanese: no strong character, two points or more against, and
    /// a Latin-shaped rare character (Latin-1 text read as Shift_JIS), enough to
    /// overrule a declared Japanese label; the IBM and NEC-selected extension
    /// kanji of names ("髙" FB FC, "﨑" FA B1) keep their label.
    var isClearlyNot: Bool { strong == 0 && points <= -2 && latinShaped > 0 }

    /// How one character standing alone counts.
    private enum Alone {
        case strong, highTrail, letterTrail, rare
    }

    /// The run of multibyte characters being scanned.
    private struct Run {
        var characters = 0
        var common = 0
        var rare = 0
        var halfWidth = 0
        var latinShaped = 0
        var alone = Alone.rare

        /// Adds a half-width katakana.
        mutating func addHalfWidth() {
            characters += 1
            halfWidth += 1
            alone = .rare
        }

        /// Adds a double-byte character of JIS row `row` whose second byte is `trail`.
        mutating func addDouble(row: Int, trail: UInt8) {
            let punctuationTrail = trail < 0x80 && !((trail | 0x20) >= 0x61 && (trail | 0x20) <= 0x7A)
            characters += 1
            if row == 4 || row == 5 {
                common += 1
                alone = .strong
            } else if row <= 8 || row == 13 || (row >= 16 && row <= 47) {
                common += 1
                alone = trail < 0x80 ? (punctuationTrail ? .strong : .letterTrail) : .highTrail
            } else {
                rare += 1
                if trail < 0x80 || (row >= 63 && row <= 88) { latinShaped += 1 }
                alone = .rare
            }
        }
    }

    /// Scores `bytes` as Shift_JIS (CP932 lead and trail ranges). Bytes that are not
    /// a valid structure end a run; iconv decides validity, this only plausibility.
    static func shiftJIS(_ bytes: UnsafeBufferPointer<UInt8>) -> JapaneseScore {
        var score = JapaneseScore()
        var run = Run()
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead >= 0xA1 && lead <= 0xDF {
                run.addHalfWidth()
                index += 1
                continue
            }
            let isLead = (lead >= 0x81 && lead <= 0x9F) || (lead >= 0xE0 && lead <= 0xFC)
            let trail = isLead && index + 1 < count ? bytes[index + 1] : 0
            guard (trail >= 0x40 && trail <= 0x7E) || (trail >= 0x80 && trail <= 0xFC) else {
                score.end(&run)
                index += 1
                continue
            }
            let row: Int
            if lead <= 0x9F {
                row = Int(lead - 0x81) * 2 + 1 + (trail >= 0x9F ? 1 : 0)
            } else if lead <= 0xEF {
                row = Int(lead - 0xE0) * 2 + 63 + (trail >= 0x9F ? 1 : 0)
            } else {
                row = 95  // user-defined area and IBM extensions
            }
            run.addDouble(row: row, trail: trail)
            index += 2
        }
        score.end(&run)
        return score
    }

    /// Scores `bytes` as EUC-JP (JIS X 0208 pairs A1-FE, half-width kana after 8E,
    /// JIS X 0212 triples after 8F).
    static func eucJP(_ bytes: UnsafeBufferPointer<UInt8>) -> JapaneseScore {
        var score = JapaneseScore()
        var run = Run()
        var index = 0
        let count = bytes.count
        func isHigh(_ offset: Int) -> Bool {
            index + offset < count && bytes[index + offset] >= 0xA1 && bytes[index + offset] <= 0xFE
        }
        while index < count {
            let lead = bytes[index]
            if lead == 0x8E, isHigh(1), bytes[index + 1] <= 0xDF {
                // Half-width katakana take two 8-bit bytes here: as telling as kana.
                run.addDouble(row: 5, trail: bytes[index + 1])
                index += 2
            } else if lead == 0x8F, isHigh(1), isHigh(2) {
                run.addDouble(row: 95, trail: bytes[index + 2])
                index += 3
            } else if isHigh(0), isHigh(1) {
                run.addDouble(row: Int(lead - 0xA0), trail: bytes[index + 1])
                index += 2
            } else {
                score.end(&run)
                index += 1
            }
        }
        score.end(&run)
        return score
    }

    /// Counts the run that an ASCII byte, an invalid byte or the end closes.
    private mutating func end(_ run: inout Run) {
        guard run.characters > 0 else { return }
        characters += run.characters
        if run.characters == 1 {
            switch run.alone {
            case .strong:
                strong += 1
                strongDouble += 1
                points += 2
            case .highTrail:
                weak += 1
                points += 1
            case .letterTrail:
                weak += 1
                points -= 1
            case .rare:
                rare += 1
                latinShaped += run.halfWidth + run.latinShaped
                points -= 2
            }
        } else {
            strong += run.common
            strongDouble += run.common
            rare += run.rare
            latinShaped += run.latinShaped
            points += 2 * run.common - run.rare
            if run.characters >= 3 || run.common > 0 {
                strong += run.halfWidth
                points += 2 * run.halfWidth
            } else {
                weak += run.halfWidth
                points -= run.halfWidth
            }
        }
        run = Run()
    }
}
