// OutgoingAddress and the envelope (C2 in madoguchi-security(7)): exactly one
// plain addr-spec, whatever an inbound From or a browser tried to smuggle in, and
// the envelope is that address only.

import Foundation
import Testing

@testable import MadoguchiMail

@Suite struct ComposeAddressTests {
    static let hostile: [(String, String)] = [
        ("victim@example.com\r\nBcc: x@evil.example", "control character"),
        ("victim@example.com\nBcc: x@evil.example", "control character"),
        ("victim@example.com\0", "control character"),
        ("a@b.example, c@d.example", "more than one address"),
        ("a@b.example,c@d.example", "more than one address"),
        ("\"x\"@y.example <z@w.example>", "angle brackets"),
        ("\"x\"@y.example", "quoted local part"),
        ("friends: a@b.example, c@d.example;", "more than one address"),
        ("friends:a@b.example;", "more than one address"),
        ("<@relay.example:a@b.example>", "group or route"),
        ("@relay.example:a@b.example", "group or route"),
        ("<a@b.example>", "angle brackets"),
        ("Taro <a@b.example>", "angle brackets"),
        ("a b@c.example", "blank"),
        ("a(comment)@b.example", "comment"),
        ("a@b.example(comment)", "comment"),
        ("a@[192.0.2.1]", "domain literal"),
        ("a%c.example@b.example", "percent hack"),
        ("c.example!a@b.example", "bang path"),
        ("a@b@c.example", "not exactly one @"),
        ("a.example", "not exactly one @"),
        ("", "empty"),
        (".a@b.example", "dot-atom"),
        ("a..b@b.example", "dot-atom"),
        ("a@-b.example", "host name"),
        ("a@b..example", "host name"),
        ("a@b_c.example", "host name"),
        ("a@\u{4F8B}\u{3048}.jp", "non-ASCII domain"),
        ("\u{592A}\u{90CE}@example.jp", "non-ASCII local part"),
        ("a\u{2028}@b.example", "non-ASCII local part"),
        (String(repeating: "a", count: 65) + "@b.example", "local part longer"),
        ("a@" + Array(repeating: String(repeating: "b", count: 60), count: 5).joined(separator: "."), "host name"),
    ]

    @Test("hostile recipients are refused with a reason", arguments: hostile)
    func refused(_ testCase: (String, String)) {
        do {
            _ = try OutgoingAddress(testCase.0)
            Issue.record("accepted \(testCase.0.debugDescription)")
        } catch {
            guard case .invalidAddress(let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(reason.contains(testCase.1), "\(testCase.0.debugDescription): \(reason)")
            #expect(!reason.contains("\r") && !reason.contains("\n"))
        }
    }

    @Test("plain addresses are accepted; the domain is lower-cased")
    func accepted() throws {
        #expect(try OutgoingAddress("Sato.Hanako+inquiry@Example.JP").address == "Sato.Hanako+inquiry@example.jp")
        #expect(try OutgoingAddress("o'brien@xn--eckwd4c7c.xn--zckzah").address == "o'brien@xn--eckwd4c7c.xn--zckzah")
        #expect(try OutgoingAddress("customer@localhost").address == "customer@localhost")
        #expect(try OutgoingAddress("a@b.example", displayName: " \r\n ").displayName == nil)
        #expect(try OutgoingAddress("a@b.example", displayName: "佐藤\r\nBcc: x@evil").displayName == "佐藤 Bcc: x@evil")
    }

    @Test("the envelope is the validated From and the one To; no Cc or Bcc field")
    func envelope() throws {
        let composed = try MessageComposer.compose(try ComposeChecks.message(toName: "x@evil.example, Bcc: y@evil"))
        #expect(composed.envelopeFrom == "support@madoguchi.example")
        #expect(composed.recipients == ["hanako@example.jp"])
        #expect(ComposeChecks.problems(composed.bytes) == [])
        let parsed = ComposeChecks.parse(composed.bytes)
        #expect(parsed.to.map(\.address) == ["hanako@example.jp"])
        #expect(parsed.to.first?.name == "x@evil.example, Bcc: y@evil")
        #expect(parsed.cc.isEmpty)
    }

    @Test("display names with quotes, backslashes, brackets and commas stay one mailbox")
    func displayNames() throws {
        let names = [
            "Sato, Taro", "\"Boss\" \\ <admin@evil.example>", "=?UTF-8?B?QmNjOiB4QGV2aWw=?=", "Plain Name",
            "株式会社サンプル　お客様相談室", "Ünïcödé, Jr.", String(repeating: "長い名前", count: 30),
        ]
        for charset in OutgoingCharset.allCases {
            for name in names {
                let composed = try MessageComposer.compose(
                    try ComposeChecks.message(charset: charset, toName: name, fromName: name))
                #expect(ComposeChecks.problems(composed.bytes) == [], "\(name)")
                let parsed = ComposeChecks.parse(composed.bytes)
                #expect(parsed.to == [MailAddress(name: name, address: "hanako@example.jp")], "\(charset) \(name)")
                #expect(parsed.from == [MailAddress(name: name, address: "support@madoguchi.example")])
            }
        }
    }
}
