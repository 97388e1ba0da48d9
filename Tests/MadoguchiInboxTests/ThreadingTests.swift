// Threading helpers: Message-ID normal form (domain case folded, local part kept),
// the blind index (stable, keyed, apart from address indexes) and `[#id]` subject tags.

import MadoguchiCrypto
import MadoguchiInbox
import Testing

@Suite struct ThreadingTests {
    @Test(
        "Message-ID normal form",
        arguments: [
            ("<abc@Example.JP>", "abc@example.jp"),
            ("  <AbC@example.jp> ", "AbC@example.jp"),
            ("x.y@[127.0.0.1]", "x.y@[127.0.0.1]"),
            ("no-at-sign", "no-at-sign"),
            ("<>", nil),
            ("", nil),
        ] as [(String, String?)])
    func normalForm(raw: String, expected: String?) {
        #expect(Threading.normalizeMessageID(raw) == expected)
    }

    @Test("the Message-ID index is keyed, stable and never equals an address index")
    func index() throws {
        let master = try MasterKey.generate()
        let keys = try KeyRing(
            wrappedKeys: [1: try KeyRing.newDataKey(id: 1, master: master)], currentKeyID: 1, master: master)
        let other = try KeyRing(
            wrappedKeys: [1: try KeyRing.newDataKey(id: 1, master: master)], currentKeyID: 1, master: master)
        let a = try #require(try Threading.messageIDIndex("<a@Example.jp>", keys: keys))
        #expect(a.count == 32)
        #expect(try Threading.messageIDIndex("a@example.jp", keys: keys) == a)
        #expect(try Threading.messageIDIndex("A@example.jp", keys: keys) != a)
        #expect(try Threading.messageIDIndex("a@example.jp", keys: other) != a)
        #expect(try CustomerAddress.blindIndex("a@example.jp", keys: keys) != a)
        #expect(try Threading.messageIDIndex(" ", keys: keys) == nil)
    }

    @Test(
        "subject tags",
        arguments: [
            ("Re: 請求書 [#123]", [123]),
            ("[#1][#22] x", [1, 22]),
            ("［＃４５］ 全角", [45]),
            ("[#] [#abc] [# 12] [#0]", []),
            ("[#99999999999999999999999]", []),
            ("#12 no brackets", []),
        ] as [(String, [Int64])])
    func tags(subject: String, expected: [Int64]) {
        #expect(Threading.subjectTags(subject) == expected)
    }
}
