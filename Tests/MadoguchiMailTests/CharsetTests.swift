// Charset decoding: the Japanese rules (CP50220 NEC/IBM characters, CP932 aliases,
// EUC-JP-MS), lying and unknown labels, Western 8-bit text told from Japanese by
// JIS row, and invalid bytes as U+FFFD (madoguchi-security(7) A10).

import MadoguchiTestSupport
import Testing

@testable import MadoguchiMail

@Suite struct CharsetTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let label: String?
        let bytes: [UInt8]
        let expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "UTF-8", label: "utf-8", bytes: Array("日本語".utf8), expected: "日本語"),
        Case(name: "ISO-2022-JP plain", label: "ISO-2022-JP", bytes: MailFixture.jis("24 33 24 73"), expected: "こん"),
        Case(
            name: "ISO-2022-JP NEC row 13 (CP50220)", label: "iso-2022-jp",
            bytes: MailFixture.jis("2D 21 2D 6A 2D 37"), expected: "①㈱Ⅲ"),
        Case(
            name: "ISO-2022-JP NEC-selected IBM extension", label: "ISO-2022-JP",
            bytes: MailFixture.jis("7C 62"), expected: "髙"),
        Case(
            name: "ISO-2022-JP ESC ( I half-width kana", label: "ISO-2022-JP",
            bytes: [0x1B, 0x28, 0x49, 0x36, 0x45, 0x1B, 0x28, 0x42, 0x41], expected: "ｶﾅA"),
        Case(
            name: "ISO-2022-JP SO/SI kana (CP50222)", label: "iso-2022-jp",
            bytes: [0x0E, 0x36, 0x45, 0x0F, 0x41], expected: "ｶﾅA"),
        Case(
            name: "ISO-2022-JP ESC $ @ and ESC ( J", label: "iso-2022-jp",
            bytes: [0x1B, 0x24, 0x40, 0x24, 0x33, 0x1B, 0x28, 0x4A, 0x61], expected: "こa"),
        Case(
            name: "Shift_JIS with 0x5C second byte", label: "Shift_JIS", bytes: MailFixture.hex("95 5c 8e a6"),
            expected: "表示"),
        Case(name: "x-sjis alias", label: "x-sjis", bytes: MailFixture.hex("87 40 ee e0"), expected: "①髙"),
        Case(name: "SJIS alias", label: "SJIS", bytes: MailFixture.hex("87 8a"), expected: "㈱"),
        Case(name: "MS932 alias", label: "MS932", bytes: MailFixture.hex("82 b1"), expected: "こ"),
        Case(name: "Windows-31J alias", label: "Windows-31J", bytes: MailFixture.hex("87 56"), expected: "Ⅲ"),
        Case(name: "cp932 alias", label: "cp932", bytes: MailFixture.hex("b6 c5"), expected: "ｶﾅ"),
        Case(name: "EUC-JP", label: "EUC-JP", bytes: MailFixture.hex("a4 aa cc e4"), expected: "お問"),
        Case(name: "x-euc-jp with NEC extension", label: "x-euc-jp", bytes: MailFixture.hex("ad a1"), expected: "①"),
        Case(name: "EUC-JP half-width kana", label: "euc-jp", bytes: MailFixture.hex("8e b6 8e c5"), expected: "ｶﾅ"),
        Case(
            name: "Latin-1 read as windows-1252", label: "iso-8859-1", bytes: [0x63, 0x61, 0x66, 0xE9, 0x80],
            expected: "café€"),
        Case(
            name: "unknown label, valid UTF-8", label: "x-unknown-charset", bytes: Array("テスト".utf8),
            expected: "テスト"),
        Case(
            name: "unknown label, Shift_JIS detected", label: "x-bogus", bytes: MailFixture.hex("82 b1 82 f1"),
            expected: "こん"),
        Case(name: "no label, EUC-JP detected", label: nil, bytes: MailFixture.hex("a4 b3 a4 f3"), expected: "こん"),
        Case(
            name: "no label, ISO-2022-JP detected", label: nil, bytes: MailFixture.jis("24 33 24 73"),
            expected: "こん"),
        Case(
            name: "lying label: utf-8 carrying Shift_JIS", label: "utf-8", bytes: MailFixture.hex("82 b1 82 f1"),
            expected: "こん"),
        Case(
            name: "lying label: us-ascii carrying UTF-8", label: "us-ascii", bytes: Array("Grüße".utf8),
            expected: "Grüße"),
        Case(
            name: "lying label: ISO-2022-JP carrying Shift_JIS", label: "ISO-2022-JP",
            bytes: MailFixture.hex("95 5c 8e a6"), expected: "表示"),
        Case(
            name: "invalid UTF-8 and overlong become U+FFFD", label: "utf-8", bytes: [0x41, 0xC0, 0xAF, 0xFF, 0x42],
            expected: "A\u{FFFD}\u{FFFD}\u{FFFD}B"),
        Case(
            name: "UTF-7 is decoded to plain text, never markup", label: "utf-7",
            bytes: Array("+ADw-script+AD4-".utf8), expected: "<script>"),
        Case(
            name: "label with a //TRANSLIT suffix is not passed to iconv", label: "utf-8//TRANSLIT",
            bytes: Array("ok".utf8), expected: "ok"),
        Case(name: "empty input", label: "iso-2022-jp", bytes: [], expected: ""),
    ]

    @Test("decodes real-world charsets and labels", arguments: cases)
    func decodes(_ testCase: Case) {
        #expect(Charset.decode(testCase.bytes, label: testCase.label) == testCase.expected)
    }

    /// Western 8-bit text, unlabeled or mislabeled, and Japanese under a Western
    /// label: each decoded as believable wrong text before the JIS-row score.
    static let westernCases: [Case] = [
        Case(
            name: "no label: CP1252 apostrophes are not level-1 kanji", label: nil,
            bytes: Array("don".utf8) + [0x92] + Array("t worry, it".utf8) + [0x92, 0x73],
            expected: "don’t worry, it’s"),
        Case(
            name: "no label: CP1252 curly quotes", label: nil,
            bytes: Array("it".utf8) + [0x92] + Array("s ".utf8) + [0x93] + Array("fine".utf8) + [0x94],
            expected: "it’s “fine”"),
        Case(
            name: "no label: pound sign is not half-width kana", label: nil, bytes: [0xA3, 0x31, 0x30, 0x30],
            expected: "£100"),
        Case(
            name: "no label: Latin-1 accents are not level-2 kanji", label: nil,
            bytes: MailFixture.hex("43 72 e8 6d 65 20 62 72 fb 6c e9 65"), expected: "Crème brûlée"),
        Case(
            name: "no label: Latin-1 word ending in é", label: nil, bytes: [0x63, 0x61, 0x66, 0xE9],
            expected: "café"),
        Case(
            name: "no label: French apostrophe before ê is not a kanji", label: nil,
            bytes: MailFixture.hex("6c 92 69 64 e9 65 20 64 92 ea 74 72 65"), expected: "l’idée d’être"),
        Case(
            name: "unknown label: Latin-1 é between letters", label: "unknown-8bit",
            bytes: MailFixture.hex("52 e9 73 75 6d e9 20 64 e9 6a e0"), expected: "Résumé déjà"),
        Case(
            name: "lying label: us-ascii carrying Latin-1", label: "us-ascii",
            bytes: MailFixture.hex("47 72 fc df 65"), expected: "Grüße"),
        Case(
            name: "lying label: shift_jis carrying Latin-1 that decodes as rare kanji", label: "shift_jis",
            bytes: MailFixture.hex("43 72 e8 6d 65 20 62 72 fb 6c e9 65"), expected: "Crème brûlée"),
        Case(
            name: "lying label: shift_jis carrying Portuguese", label: "shift_jis",
            bytes: Array("a op".utf8) + [0xE7, 0xE3] + Array("o".utf8), expected: "a opção"),
        Case(
            name: "lying label: shift_jis carrying Latin-1 that does not decode", label: "Shift_JIS",
            bytes: [0x63, 0x61, 0x66, 0xE9], expected: "café"),
        Case(
            name: "lying label: euc-jp carrying Latin-1", label: "euc-jp",
            bytes: Array("na".utf8) + [0xEF, 0x76, 0x65], expected: "naïve"),
        Case(
            name: "lying label: iso-8859-1 carrying Shift_JIS hiragana", label: "iso-8859-1",
            bytes: MailFixture.hex("82 b1 82 f1 82 c9 82 bf 82 cd"), expected: "こんにちは"),
        Case(
            name: "lying label: windows-1252 carrying EUC-JP", label: "windows-1252",
            bytes: MailFixture.hex("a4 aa cc e4 a4 a4 b9 e7 a4 ef a4 bb"), expected: "お問い合わせ"),
    ]

    @Test("decodes Western 8-bit text as CP1252 unless it is plausible Japanese", arguments: westernCases)
    func western(_ testCase: Case) {
        #expect(Charset.decode(testCase.bytes, label: testCase.label) == testCase.expected)
    }

    /// Japanese that must stay Japanese when the score decides (these pass before and after).
    static let japaneseKept: [Case] = [
        Case(
            name: "no label: kanji run with letter trails", label: nil, bytes: MailFixture.hex("8e 52 93 63 97 6c"),
            expected: "山田様"),
        Case(
            name: "no label: kanji next to an IBM extension", label: nil, bytes: MailFixture.hex("8e 52 fa b1"),
            expected: "山﨑"),
        Case(
            name: "no label: katakana with letter trails", label: nil, bytes: MailFixture.hex("83 41 83 68"),
            expected: "アド"),
        Case(
            name: "no label: half-width katakana run", label: nil, bytes: MailFixture.hex("b1 dd b9 b0 c4"),
            expected: "ｱﾝｹｰﾄ"),
        Case(name: "no label: NEC circled digit", label: nil, bytes: MailFixture.hex("87 40"), expected: "①"),
        Case(
            name: "no label: Shift_JIS in ASCII", label: nil,
            bytes: Array("Re: ".utf8) + MailFixture.hex("8c a9 90 cf 82 cc 88 cb 97 8a"), expected: "Re: 見積の依頼"),
        Case(
            name: "no label: lone kanji between digits", label: nil,
            bytes: MailFixture.hex("32 30 30 32 94 4e 31 31 8c 8e 31 34 93 fa"), expected: "2002年11月14日"),
        Case(
            name: "no label: EUC-JP box drawing", label: nil,
            bytes: MailFixture.hex("b3 ab bb cf 20 a8 a1 a8 a1 a8 a1"),
            expected: "開始 ───"),
        Case(
            name: "no label: EUC-JP half-width katakana", label: nil, bytes: MailFixture.hex("8e b6 8e c5"),
            expected: "ｶﾅ"),
        Case(
            name: "shift_jis label: one broken byte stays Japanese", label: "shift_jis",
            bytes: MailFixture.hex("82 b1 82 f1 ff 82 c9"), expected: "こん\u{FFFD}に"),
        Case(
            name: "shift_jis label: lone kanji with a letter trail", label: "shift_jis",
            bytes: MailFixture.hex("97 6c"), expected: "様"),
        Case(
            name: "shift_jis label: lone IBM extension kanji", label: "shift_jis",
            bytes: MailFixture.hex("fb fc 20 54"),
            expected: "髙 T"),
        Case(
            name: "shift_jis label: NEC-selected kanji apart", label: "shift_jis",
            bytes: MailFixture.hex("ee e0 20 fa b1"), expected: "髙 﨑"),
        Case(
            name: "iso-8859-1 label: real Latin-1 stays Latin-1", label: "iso-8859-1",
            bytes: MailFixture.hex("c0 20 62 69 65 6e 74 f4 74"), expected: "À bientôt"),
    ]

    @Test("keeps Japanese text Japanese", arguments: japaneseKept)
    func japanese(_ testCase: Case) {
        #expect(Charset.decode(testCase.bytes, label: testCase.label) == testCase.expected)
    }

    @Test("ISO-2022-JP escape abuse never crashes and marks bad bytes")
    func escapeAbuse() {
        let inputs: [[UInt8]] = [
            [0x1B], [0x1B, 0x24], [0x1B, 0x24, 0x42, 0x24], [0x1B, 0x24, 0x28, 0x44, 0x21, 0x21],
            [0x1B, 0x24, 0x42, 0xFF, 0xFE], [0x1B, 0x5B, 0x33, 0x31, 0x6D],
        ]
        for input in inputs {
            let text = Charset.decode(input, label: "iso-2022-jp")
            #expect(text.unicodeScalars.contains("\u{FFFD}"))
            #expect(!text.unicodeScalars.contains("\u{1B}"))
        }
    }

    @Test("decode accepts any byte collection")
    func collections() {
        let bytes = MailFixture.hex("00 82 b1 82 f1")
        #expect(Charset.decode(bytes[1...], label: "shift_jis") == "こん")
        #expect(Charset.decode(Array("abc".utf8).reversed(), label: nil) == "cba")
    }

    @Test("garbage in an unsupported label falls back to replacement characters")
    func garbage() {
        let text = Charset.decode([0x82, 0xFF, 0xFF, 0x80], label: "no-such-charset")
        #expect(text.unicodeScalars.contains("\u{FFFD}"))
    }
}
