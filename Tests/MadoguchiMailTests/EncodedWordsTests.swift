// RFC 2047 header decoding: B and Q, joining adjacent words, multibyte and
// ISO-2022-JP sequences split across words, raw 8-bit text, malformed words.

import MadoguchiTestSupport
import Testing

@testable import MadoguchiMail

@Suite struct EncodedWordsTests {
    static let cases: [(String, [UInt8], String)] = [
        ("plain ASCII", Array("Hello world".utf8), "Hello world"),
        ("Q with underscore", Array("=?iso-8859-1?q?caf=E9_au_lait?=".utf8), "café au lait"),
        (
            "adjacent words joined, blanks between kept text",
            Array("a =?UTF-8?B?5pel?= =?UTF-8?B?5pys?= b".utf8), "a 日本 b"
        ),
        (
            "ISO-2022-JP split mid-escape across words",
            Array(
                ("=?ISO-2022-JP?B?" + MailFixture.base64([0x1B, 0x24, 0x42, 0x24]) + "?= =?ISO-2022-JP?B?"
                    + MailFixture.base64([0x33, 0x1B, 0x28, 0x42]) + "?=").utf8), "こ"
        ),
        ("different charsets are decoded separately", Array("=?UTF-8?Q?a?= =?ISO-8859-1?Q?=E9?=".utf8), "aé"),
        ("RFC 2231 language in the charset", Array("=?UTF-8*ja?B?5pel?=".utf8), "日"),
        ("word glued to text (lenient)", Array("x=?UTF-8?B?5pel?=y".utf8), "x日y"),
        ("malformed word stays literal", Array("=?UTF-8?X?abc?= =?UTF-8?B?".utf8), "=?UTF-8?X?abc?= =?UTF-8?B?"),
        ("raw UTF-8 (RFC 6532)", Array("件名 テスト".utf8), "件名 テスト"),
        ("raw Shift_JIS detected", MailFixture.hex("95 5c 8e a6"), "表示"),
        ("raw ISO-2022-JP with NEC characters detected", Array("re: ".utf8) + MailFixture.jis("2D 21 2D 6A"), "re: ①㈱"),
        ("invalid bytes in a word become U+FFFD", Array("=?UTF-8?Q?a=FFb?=".utf8), "a\u{FFFD}b"),
    ]

    @Test("decodes encoded words", arguments: cases)
    func decodes(_ testCase: (String, [UInt8], String)) {
        #expect(EncodedWords.decode(testCase.1) == testCase.2, "\(testCase.0)")
    }
}
