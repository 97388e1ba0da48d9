// Normalisation and bigrams of the encrypted search index.

import MadoguchiInbox
import Testing

@Suite struct SearchTextTests {
    @Test("NFKC folds width and case", arguments: [("ﾊﾟｽﾜｰﾄﾞ", "パスワード"), ("ＡＢＣ", "abc"), ("①㈱", "1(株)")])
    func folds(input: String, expected: String) {
        #expect(String(String.UnicodeScalarView(SearchText.normalize(input))) == expected)
    }

    @Test("bigrams overlap, are distinct, and skip digit-only pairs")
    func bigrams() {
        let grams = SearchText.bigrams(of: "請求書の請求 123a").map { String(decoding: $0, as: UTF8.self) }
        #expect(grams == ["請求", "求書", "書の", "の請", "求1", "3a"])
        #expect(SearchText.bigrams(of: "0120-123").map { String(decoding: $0, as: UTF8.self) } == ["0-", "-1"])
    }

    @Test("the confirmation step finds normalised substrings")
    func contains() {
        #expect(SearchText.contains("「請求書の再発行」", normalizedNeedle: SearchText.normalize("請求書")))
        #expect(SearchText.contains("パスワードを忘れました", normalizedNeedle: SearchText.normalize("ﾊﾟｽﾜｰﾄﾞ")))
        #expect(!SearchText.contains("請求の書", normalizedNeedle: SearchText.normalize("請求書")))
    }
}
