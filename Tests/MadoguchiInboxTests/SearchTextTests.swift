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

    @Test(
        "packed bigrams give the UTF-8 of every scalar width and of a lone character",
        arguments: [
            ("aé請😀", ["aé", "é請", "請😀"]), ("請", ["請"]), ("7", []), ("", []), ("ab-ab", ["ab", "b-", "-a"]),
        ])
    func packed(text: String, expected: [String]) {
        let scalars = Array(text.unicodeScalars)
        let grams = SearchText.packedBigrams(of: scalars).map { packed in
            SearchText.withUTF8(packed) { String(decoding: $0, as: UTF8.self) }
        }
        #expect(grams == expected)
    }

    @Test("packed bigrams of a long text (the table grows) are the distinct pairs in first-seen order")
    func packedLong() {
        var generator = SystemRandomNumberGenerator()
        // 20,000 scalars from 300 kanji and 10 digits: thousands of distinct bigrams, many repeats.
        let alphabet =
            (0..<300).compactMap { Unicode.Scalar(0x4E00 + $0) } + (0x30...0x39).compactMap(Unicode.Scalar.init)
        let scalars = (0..<20_000).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        func digit(_ scalar: Unicode.Scalar) -> Bool { (0x30...0x39).contains(scalar.value) }
        var seen = Set<UInt64>()
        var expected: [UInt64] = []
        for (a, b) in zip(scalars, scalars.dropFirst()) where !(digit(a) && digit(b)) {
            let packed = UInt64(a.value) << 32 | UInt64(b.value)
            if seen.insert(packed).inserted { expected.append(packed) }
        }
        let packed = SearchText.packedBigrams(of: scalars)
        #expect(expected.count > 10_000)
        #expect(packed.count == expected.count)
        let same = packed == expected  // (not inside #expect: it would print 10,000 numbers)
        #expect(same)
    }

    @Test("the confirmation step finds normalised substrings")
    func contains() {
        #expect(SearchText.contains("「請求書の再発行」", normalizedNeedle: SearchText.normalize("請求書")))
        #expect(SearchText.contains("パスワードを忘れました", normalizedNeedle: SearchText.normalize("ﾊﾟｽﾜｰﾄﾞ")))
        #expect(!SearchText.contains("請求の書", normalizedNeedle: SearchText.normalize("請求書")))
    }

    @Test("the Foundation-free fold equals NFKC + lower case for every scalar it accepts")
    func stableFold() {
        let ranges: [ClosedRange<UInt32>] = [
            0x00...0x7F, 0xFF01...0xFF5E, 0x3000...0x3002, 0x3005...0x3011, 0x3041...0x3096, 0x30A1...0x30FC,
            0x4E00...0x9FFF,
        ]
        let scalars = ranges.flatMap { $0 }.compactMap(Unicode.Scalar.init)
        var start = 0
        while start < scalars.count {
            let chunk = String(String.UnicodeScalarView(scalars[start..<min(start + 2_000, scalars.count)]))
            // "①" is outside the accepted set, so the second text takes Foundation's NFKC.
            let fast = SearchText.normalize(chunk)
            let reference = SearchText.normalize(chunk + "①")
            #expect(fast + ["1"] == reference, "chunk at \(start)")
            start += 2_000
        }
        #expect(SearchText.normalize("Ｉｎｖｏｉｃｅ　請求書（ＡＢＣ）") == SearchText.normalize("invoice請求書(abc)①").dropLast())
    }

    @Test(
        "the literal fast path of confirmation agrees with full normalisation",
        arguments: [
            ("「請求書の再発行」", "請求書", true), ("請求\n書", "請求書", true), ("ＡＢＣ株式会社", "abc", true),
            ("か\u{3099}きくけこ", "か", false), ("かﾞ", "か", false), ("ｶﾞ", "ガ", true), ("abcé", "abc", true),
            ("ab", "abc", false), ("請求の書", "請求書", false), ("パスワード", "ﾊﾟｽﾜｰﾄﾞ", true), ("ABC", "abc", true),
            ("x請求書", "請求書", true), ("請求書\u{0301}", "請求書", true), ("ababc", "abc", true),
            ("請求請求書", "請求書", true), ("か\u{3099}とか", "か", true), ("書書", "請求書", false),
        ])
    func literal(haystack: String, query: String, expected: Bool) {
        let needle = SearchText.normalize(query)
        #expect(SearchText.contains(haystack, normalizedNeedle: needle) == expected)
        #expect(SearchText.contains(utf8: Array(haystack.utf8), normalizedNeedle: needle) == expected)
    }
}
