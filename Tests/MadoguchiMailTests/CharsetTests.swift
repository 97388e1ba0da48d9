// Charset decoding: the Japanese rules (CP50220 NEC/IBM characters, CP932 aliases,
// EUC-JP-MS), lying and unknown labels, and invalid bytes as U+FFFD (madoguchi-security(7) A10).

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
