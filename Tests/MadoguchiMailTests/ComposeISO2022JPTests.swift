// ISO2022JPEncoder: CP50221's choices (NEC row 13, the NEC-selected IBM rows 89 to
// 92 for the IBM extensions), the folds of half-width katakana, sound marks and the
// wave-dash family, and that ISO2022JPDecoder reads back every code it writes.

import MadoguchiTestSupport
import Testing

@testable import MadoguchiMail

@Suite struct ComposeISO2022JPTests {
    /// The ISO-2022-JP bytes of `text`, nil when it cannot be written.
    static func encode(_ text: String) -> [UInt8]? {
        var units: [ISO2022JPEncoder.Unit] = []
        guard ISO2022JPEncoder.units(text.unicodeScalars, into: &units) else { return nil }
        var out: [UInt8] = []
        ISO2022JPEncoder.write(units, into: &out)
        return out
    }

    static func decode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        bytes.withUnsafeBufferPointer { _ = ISO2022JPDecoder.decode($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    static let codes: [(String, String)] = [
        ("①", "2D 21"), ("㈱", "2D 6A"), ("№", "2D 62"), ("㍻", "2D 5F"), ("Ⅲ", "2D 37"),
        ("髙", "7C 62"), ("﨑", "79 75"), ("ⅰ", "7C 71"), ("￤", "7C 7C"),
        ("¬", "22 4C"), ("￢", "22 4C"), ("∵", "22 68"), ("～", "21 41"), ("〜", "21 41"), ("∥", "21 42"),
        ("‖", "21 42"), ("－", "21 5D"), ("−", "21 5D"), ("―", "21 3D"), ("—", "21 3D"), ("¢", "21 71"),
        ("£", "21 72"), ("¦", "7C 7C"), ("¥", "21 6F"), ("‾", "21 31"), ("あ", "24 22"), ("漢", "34 41"),
    ]

    @Test("CP50221 codes: NEC row 13, IBM extensions in rows 89 to 92, JIS forms folded", arguments: codes)
    func code(_ testCase: (String, String)) {
        #expect(Self.encode(testCase.0) == MailFixture.jis(testCase.1), "\(testCase.0)")
    }

    @Test("the wave-dash family reads back in CP932's form; CP932 forms read back exactly")
    func waveDash() {
        #expect(Self.decode(Self.encode("〜‖−—¢£¬¦¥‾") ?? []) == "～∥－―￠￡￢￤￥￣")
        let cp932 = "～∥－―￠￡￢￤￥￣①㈱№㍻Ⅲ髙﨑ⅰ∵≒"
        #expect(Self.decode(Self.encode(cp932) ?? []) == cp932)
        #expect(Self.encode("\\~") == Array("\\~".utf8))
    }

    @Test("half-width katakana become full-width; sound marks join where JIS X 0208 has the kana")
    func kana() {
        let pairs: [(String, String)] = [
            ("ｱｲｳｴｵｶﾞｷﾞﾊﾟﾋﾟｳﾞﾜﾞｯﾁﾞﾂﾞﾄﾞｰ｡｢｣､･ﾞﾟ", "アイウエオガギパピヴワ゛ッヂヅドー。「」、・゛゜"),
            ("か\u{3099}ハ\u{309A}う\u{3099}\u{3099}ヰ\u{309A}", "がパう゛゛ヰ゜"),
            ("ﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞﾅﾞﾏﾟ", "ダヂヅデドナ゛マ゜"),
        ]
        for (input, output) in pairs {
            #expect(Self.decode(Self.encode(input) ?? []) == output, "\(input)")
        }
    }

    @Test("emoji, Hangul, accented Latin, JIS X 0212 and ESC/SO/SI have no code")
    func unencodable() {
        for text in ["😀", "한", "é", "e\u{301}", "丂", "\u{1B}", "\u{0E}", "\u{0F}", "𠀋"] {
            #expect(Self.encode(text) == nil, "\(text.debugDescription)")
        }
    }

    @Test("every character with a code reads back exactly through ISO2022JPDecoder")
    func everyCode() {
        var count = 0
        var text = ""
        for value in UInt32(0xA0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value), !(0xFF61...0xFF9F).contains(value),
                ![0x3099, 0x309A, 0x301C, 0x2016, 0x2212, 0x2014, 0xA2, 0xA3, 0xAC, 0xA6, 0xA5, 0x203E].contains(value)
            else { continue }
            guard let bytes = Self.encode(String(scalar)) else { continue }
            count += 1
            text.unicodeScalars.append(scalar)
            #expect(bytes.count == 8)
            #expect(Self.decode(bytes) == String(scalar), "U+\(String(value, radix: 16))")
        }
        // JIS X 0208 (6,879), NEC row 13 (83) and the NEC-selected IBM rows (374) less their duplicates.
        #expect(count > 7200)
        #expect(Self.decode(Self.encode(text) ?? []) == text)
    }
}
