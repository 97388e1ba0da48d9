// Threading helpers: Message-ID normal form (domain case folded, local part kept),
// the blind index (stable, keyed, apart from address indexes), `[#id]` and
// `[#id-code]` subject tags, and the MAC'd tokens we issue (A25): verified under every
// key version, refused when changed, made with another key or for another inquiry.

import Foundation
import MadoguchiCrypto
import MadoguchiInbox
import Testing

@Suite struct ThreadingTests {
    static func ring(_ wrapped: [UInt32: [UInt8]]? = nil, current: UInt32 = 1, master: MasterKey? = nil) throws
        -> KeyRing
    {
        let master = try master ?? MasterKey.generate()
        return try KeyRing(
            wrappedKeys: wrapped ?? [1: try KeyRing.newDataKey(id: 1, master: master)], currentKeyID: current,
            master: master)
    }

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
        "subject tags, bare and with a code",
        arguments: [
            ("Re: 請求書 [#123]", [.init(inquiryID: 123)]),
            ("[#1][#22] x", [.init(inquiryID: 1), .init(inquiryID: 22)]),
            ("［＃４５］ 全角", [.init(inquiryID: 45)]),
            ("[#] [#abc] [# 12] [#0]", []),
            ("[#99999999999999999999999]", []),
            ("#12 no brackets", []),
            ("Re: [#123-K7Q2MX] 件名", [.init(inquiryID: 123, code: "K7Q2MX")]),
            ("re: [#123-k7q2mx]", [.init(inquiryID: 123, code: "K7Q2MX")]),
            ("［＃１２３－Ｋ７Ｑ２ＭＸ］", [.init(inquiryID: 123, code: "K7Q2MX")]),
            ("[#7-AB][#8]", [.init(inquiryID: 7, code: "AB"), .init(inquiryID: 8)]),
            ("[#123-] [#123-K7 Q2] [#12-a_b] [#0-K7Q2MX]", []),
            ("[#5-" + String(repeating: "A", count: 33) + "]", []),
        ] as [(String, [Threading.SubjectTag])])
    func tags(subject: String, expected: [Threading.SubjectTag]) {
        #expect(Threading.subjectTags(subject) == expected)
    }

    @Test("A25: a subject tag verifies for its inquiry only, under its key, and survives a key rotation")
    func subjectTagCodes() throws {
        let master = try MasterKey.generate()
        let first = try KeyRing.newDataKey(id: 1, master: master)
        let keys = try Self.ring([1: first], master: master)
        let tag = try Threading.subjectTag(inquiryID: 123, keys: keys)
        #expect(tag.hasPrefix("[#123-") && tag.hasSuffix("]") && tag.count == 6 + Threading.tagCodeLength + 1, "\(tag)")
        let parsed = try #require(Threading.subjectTags("Re: 見積 " + tag).first)
        #expect(try Threading.isVerified(parsed, keys: keys))
        // Lower case and full width (as an IME may retype it) still verify.
        let fullWidth = String(String.UnicodeScalarView(tag.unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
        for variant in [tag.lowercased(), fullWidth] {
            #expect(try Threading.isVerified(try #require(Threading.subjectTags(variant).first), keys: keys))
        }
        let code = try #require(parsed.code)
        #expect(!(try Threading.isVerified(Threading.SubjectTag(inquiryID: 124, code: code), keys: keys)))
        #expect(!(try Threading.isVerified(Threading.SubjectTag(inquiryID: 123), keys: keys)))
        let changed = String(code.dropLast()) + (code.hasSuffix("Z") ? "Y" : "Z")
        #expect(!(try Threading.isVerified(Threading.SubjectTag(inquiryID: 123, code: changed), keys: keys)))
        #expect(!(try Threading.isVerified(Threading.SubjectTag(inquiryID: 123, code: code + "2"), keys: keys)))
        #expect(!(try Threading.isVerified(parsed, keys: try Self.ring())))
        // After a rotation (data key 2 current) the old tag still verifies; new tags differ.
        let rotated = try Self.ring(
            [1: first, 2: try KeyRing.newDataKey(id: 2, master: master)], current: 2, master: master)
        #expect(try Threading.isVerified(parsed, keys: rotated))
        #expect(try Threading.subjectTag(inquiryID: 123, keys: rotated) != tag)
        // The reply editor's helper adds the tag once.
        let subject = try Threading.taggedSubject("Re: 見積", inquiryID: 123, keys: keys)
        #expect(subject == "Re: 見積 " + tag)
        #expect(try Threading.taggedSubject(subject, inquiryID: 123, keys: keys) == subject)
        #expect(try Threading.taggedSubject("Re: [#123]", inquiryID: 123, keys: keys) == "Re: [#123] " + tag)
    }

    @Test("A25: our outgoing Message-ID carries a code that verifies; any change makes it a forgery")
    func outgoingMessageIDs() throws {
        let keys = try Self.ring()
        let id = try Threading.outgoingMessageID(inquiryID: 42, host: "Desk.Example.COM", keys: keys)
        let pattern = try NSRegularExpression(
            pattern: "^<madoguchi\\.42\\.[2-9A-HJ-NP-Z]{16}\\.[2-9A-HJ-NP-Z]{16}@desk\\.example\\.com>$")
        #expect(pattern.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) != nil, "\(id)")
        #expect(try Threading.outgoingMessageID(inquiryID: 42, host: "desk.example.com", keys: keys) != id)
        #expect(try Threading.outgoingReference(id, keys: keys) == .verified(inquiryID: 42))
        #expect(try Threading.outgoingReference(" " + id.uppercased() + " ", keys: keys) == .verified(inquiryID: 42))
        // Another inquiry number, a changed code or random part, another key: forged.
        let parts = id.dropFirst().dropLast().split(separator: "@")[0].split(separator: ".").map(String.init)
        let flip = { (text: String) in String(text.dropLast()) + (text.hasSuffix("Z") ? "Y" : "Z") }
        for forged in [
            "<madoguchi.43.\(parts[2]).\(parts[3])@desk.example.com>",
            "<madoguchi.42.\(flip(parts[2])).\(parts[3])@desk.example.com>",
            "<madoguchi.42.\(parts[2]).\(flip(parts[3]))@desk.example.com>",
            "<madoguchi.42.\(parts[2].prefix(6)).\(parts[3])@desk.example.com>",
            "<madoguchi.42.x.y@desk.example.com>",
        ] {
            #expect(
                try Threading.outgoingReference(forged, keys: keys)
                    == .forged(inquiryID: forged.contains(".43.") ? 43 : 42), "\(forged)")
        }
        #expect(try Threading.outgoingReference(id, keys: try Self.ring()) == .forged(inquiryID: 42))
        for other in [
            "<abc@example.jp>", "<madoguchi.0.A.B@x>", "<madoguchi.42.A@x>", "<x.42.A.B@x>", "madoguchi.42.a.b",
        ] {
            #expect(try Threading.outgoingReference(other, keys: keys) == nil, "\(other)")
        }
        for host in ["", "a..b", "a b", "a@b", "ex>ample", "例え.jp"] {
            #expect(throws: ThreadingError.invalidHost(host)) {
                try Threading.outgoingMessageID(inquiryID: 1, host: host, keys: keys)
            }
        }
    }
}
