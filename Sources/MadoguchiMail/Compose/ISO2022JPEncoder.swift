// ISO2022JPEncoder: Unicode to ISO-2022-JP as Microsoft's CP50221 writes it, so
// NEC row 13 (① ㈱ № ㍻) and the IBM extensions (髙 﨑 ⅰ) go out the way
// Japanese mail clients expect. glibc has CP932 but no CP50221 encoder, so the
// table is built from our own decoder (ISO2022JPDecoder): every JIS X 0208 row and
// cell is decoded once, and each character keeps the first code that decodes to
// it. Rows are tried in order, which is CP50221's choice: JIS X 0208 proper before
// NEC row 13 before the NEC-selected IBM extensions in rows 89 to 92 (CP932's IBM
// codes 0xFA40–0xFC4B are never written: their characters are all in those rows or
// earlier). By construction the decoder reads back exactly what is written.
//
// Characters with no code of their own are folded before the lookup (one way):
// - half-width katakana become full-width (as CP50220 does), a following
//   (semi-)voiced sound mark joined when a precomposed kana exists (ｶﾞ → ガ);
//   ESC ( I is not written because many mail clients do not read it;
// - a kana followed by a combining sound mark (U+3099, U+309A) is composed, a
//   lone mark becomes ゛ or ゜;
// - the JIS forms of the characters CP932 maps differently are written as the CP932
//   code of the same glyph and come back in CP932's form: 〜 U+301C → ～ U+FF5E,
//   ‖ U+2016 → ∥ U+2225, − U+2212 → － U+FF0D, — U+2014 → ― U+2015, ¢ £ ¬ ¦ →
//   ￠ ￡ ￢ ￤ (U+FFE0–U+FFE4), ¥ U+00A5 → ￥ U+FFE5, ‾ U+203E → ￣ U+FFE3 (ASCII
//   0x5C and 0x7E stay backslash and tilde).
// Anything else (emoji, Hangul, accented Latin, JIS X 0212) has no code: the caller
// reports it (ComposeError.unencodable). ESC, SO and SI have none either, so text
// can never switch the decoder's mode on its own.

/// Encoding to ISO-2022-JP (CP50221).
enum ISO2022JPEncoder {
    /// A unit of text: an ASCII byte (below 0x80) or a JIS X 0208 pair `j1 << 8 | j2`.
    typealias Unit = UInt16

    /// JIS X 0208 pair by BMP scalar value; 0 where there is none.
    private static let table: [UInt16] = {
        var input = [UInt8]()
        input.reserveCapacity(94 * 94 * 6)
        for j1 in UInt8(0x21)...0x7E {
            for j2 in UInt8(0x21)...0x7E { input += [0x1B, 0x24, 0x42, j1, j2, 0x0A] }
        }
        var decoded = [UInt8]()
        input.withUnsafeBufferPointer { _ = ISO2022JPDecoder.decode($0, into: &decoded) }
        let lines = decoded.split(separator: 0x0A, omittingEmptySubsequences: false)
        precondition(lines.count == 94 * 94 + 1, "ISO2022JPDecoder keeps one line per code")
        var table = [UInt16](repeating: 0, count: 0x10000)
        for (index, line) in lines.dropLast().enumerated() {
            let scalars = String(decoding: line, as: UTF8.self).unicodeScalars
            guard scalars.count == 1, let scalar = scalars.first, scalar.value != 0xFFFD, scalar.value < 0x10000
            else { continue }
            if table[Int(scalar.value)] == 0 {
                table[Int(scalar.value)] = UInt16(0x21 + index / 94) << 8 | UInt16(0x21 + index % 94)
            }
        }
        return table
    }()

    /// Full-width forms of U+FF61–U+FF9F (half-width katakana and punctuation).
    private static let fullWidth: [UInt16] = [
        0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5,
        0x30E7, 0x30C3, 0x30FC, 0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, 0x30B1, 0x30B3,
        0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, 0x30C1, 0x30C4, 0x30C6, 0x30C8, 0x30CA, 0x30CB, 0x30CC,
        0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB, 0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4,
        0x30E6, 0x30E8, 0x30E9, 0x30EA, 0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3, 0x309B, 0x309C,
    ]

    /// The one-way folds of the JIS forms to CP932's (see the file comment).
    private static let folds: [UInt32: UInt32] = [
        0x301C: 0xFF5E, 0x2016: 0x2225, 0x2212: 0xFF0D, 0x2014: 0x2015, 0x00A2: 0xFFE0, 0x00A3: 0xFFE1,
        0x00AC: 0xFFE2, 0x00A6: 0xFFE4, 0x00A5: 0xFFE5, 0x203E: 0xFFE3,
    ]

    /// Appends the units of `scalars` to `units`.
    /// - Returns: false at the first scalar without a code (`units` then holds a prefix).
    static func units(
        _ scalars: some Collection<Unicode.Scalar>, into units: inout [Unit]
    ) -> Bool {
        var index = scalars.startIndex
        while index < scalars.endIndex {
            var value = scalars[index].value
            index = scalars.index(after: index)
            if value < 0x80 {
                if value == 0x1B || value == 0x0E || value == 0x0F { return false }
                units.append(Unit(value))
                continue
            }
            if (0xFF61...0xFF9F).contains(value) { value = UInt32(fullWidth[Int(value - 0xFF61)]) }
            if index < scalars.endIndex, let composed = compose(value, mark: scalars[index].value) {
                value = composed
                index = scalars.index(after: index)
            } else if value == 0x3099 {
                value = 0x309B
            } else if value == 0x309A {
                value = 0x309C
            }
            guard value < 0x10000 else { return false }
            var code = table[Int(value)]
            // No fold source has a code of its own, so the dictionary is only asked on a miss.
            if code == 0, let folded = folds[value] { code = table[Int(folded)] }
            guard code != 0 else { return false }
            units.append(code)
        }
        return true
    }

    /// Whether `scalars` can be written (every scalar has a code).
    static func canEncode(_ scalars: some Collection<Unicode.Scalar>) -> Bool {
        var scratch: [Unit] = []
        return units(scalars, into: &scratch)
    }

    /// The precomposed kana for `base` (full-width) followed by a sound mark: half-width
    /// ﾞ ﾟ or combining U+3099 U+309A; nil when there is none in JIS X 0208.
    private static func compose(_ base: UInt32, mark: UInt32) -> UInt32? {
        let voiced = mark == 0xFF9E || mark == 0x3099
        guard voiced || mark == 0xFF9F || mark == 0x309A else { return nil }
        // Hiragana and katakana share one layout, 0x60 apart.
        let kana = base >= 0x30A1 ? base - 0x60 : base
        guard (0x3041...0x3096).contains(kana) else { return nil }
        let offset = kana - 0x3041
        if voiced && kana == 0x3046 { return base == 0x30A6 ? 0x30F4 : nil }  // ヴ; ゔ is not in JIS X 0208
        let isHa = (0x306F...0x307B).contains(kana) && (kana - 0x306F) % 3 == 0
        if !voiced { return isHa ? base + 2 : nil }
        // か…ぢ: even offsets 0x0A…0x20; つ…ど: odd 0x23…0x27; は…ほ every third.
        let isKaToDi = (0x0A...0x20).contains(offset) && offset % 2 == 0
        let isTsuToDo = (0x23...0x27).contains(offset) && offset % 2 == 1
        return isKaToDi || isTsuToDo || isHa ? base + 1 : nil
    }

    /// Appends the bytes of `units`, starting and ending in ASCII mode.
    static func write(_ units: some Sequence<Unit>, into out: inout [UInt8]) {
        var jis = false
        for unit in units {
            if unit < 0x80 {
                if jis { out += [0x1B, 0x28, 0x42] }
                jis = false
                out.append(UInt8(unit))
            } else {
                if !jis { out += [0x1B, 0x24, 0x42] }
                jis = true
                out.append(UInt8(unit >> 8))
                out.append(UInt8(unit & 0xFF))
            }
        }
        if jis { out += [0x1B, 0x28, 0x42] }
    }
}
