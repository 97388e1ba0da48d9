// The header block of a composed reply: hostile subjects (C1) and Message-IDs (C3)
// from madoguchi-security(7), RFC 2047 words and folding, the Date field.

import Foundation
import Testing

@testable import MadoguchiMail

@Suite struct ComposeHeaderTests {
    static let hostileSubjects: [(String, String)] = [
        ("Re: hello\r\nBcc: attacker@evil.example", "Re: hello Bcc: attacker@evil.example"),
        ("Re: hello\nBcc: attacker@evil.example", "Re: hello Bcc: attacker@evil.example"),
        ("Re: hello\rBcc: attacker@evil.example", "Re: hello Bcc: attacker@evil.example"),
        ("Re: hello\0Bcc: attacker@evil.example", "Re: hello Bcc: attacker@evil.example"),
        ("Re: こんにちは\u{2028}Bcc: attacker@evil.example", "Re: こんにちは Bcc: attacker@evil.example"),
        ("Re: こんにちは\u{2029}Bcc: attacker@evil.example", "Re: こんにちは Bcc: attacker@evil.example"),
        ("Re: hello\u{85}Bcc: attacker@evil.example", "Re: hello Bcc: attacker@evil.example"),
        ("Re: hello\u{1B}$B\tBcc:\u{7F}x\u{9B}y", "Re: hello $B Bcc: x y"),
        ("\r\n\r\nSubject: second", "Subject: second"),
    ]

    @Test("C1: line breaks and controls in a subject become spaces; one Subject field", arguments: hostileSubjects)
    func hostileSubject(_ testCase: (String, String)) throws {
        for charset in OutgoingCharset.allCases {
            let composed = try MessageComposer.compose(try ComposeChecks.message(subject: testCase.0, charset: charset))
            #expect(ComposeChecks.problems(composed.bytes) == [], "\(testCase.0.debugDescription)")
            #expect(!ComposeChecks.headerNames(composed.bytes).contains("bcc"))
            #expect(ComposeChecks.parse(composed.bytes).subject == testCase.1)
        }
    }

    static let hostileIDs: [String] = [
        "<abc@example.jp>\r\nBcc: attacker@evil.example", "<abc@example.jp>\nX-Evil: 1", "<a b@example.jp>",
        "<abc@example.jp> <def@example.jp>", "abc", "<@example.jp>", "<abc@>", "<abc@exa\0mple.jp>",
        "<abc@example.jp", "<\"quoted\"@example.jp>", "<abc@[1.2.\\3]>", "<a..b@example.jp>",
        "<" + String(repeating: "a", count: 300) + "@example.jp>", "<日本@example.jp>", "",
    ]

    @Test("C3: invalid In-Reply-To and References ids are dropped, never copied", arguments: hostileIDs)
    func hostileID(_ id: String) throws {
        let composed = try MessageComposer.compose(
            try ComposeChecks.message(inReplyTo: id, references: ["<root@example.jp>", id, "<parent@example.jp>"]))
        #expect(ComposeChecks.problems(composed.bytes) == [])
        #expect(!ComposeChecks.headerNames(composed.bytes).contains("in-reply-to"))
        #expect(ComposeChecks.field(composed.bytes, "References") == "<root@example.jp> <parent@example.jp>")
        #expect(!ComposeChecks.headerNames(composed.bytes).contains("bcc"))
        #expect(!ComposeChecks.headerNames(composed.bytes).contains("x-evil"))
    }

    @Test("valid ids are kept with brackets; In-Reply-To is appended to References; 20 at most")
    func validIDs() throws {
        #expect(MessageIDGrammar.normalized("abc.def@example.jp") == "<abc.def@example.jp>")
        #expect(MessageIDGrammar.normalized(" <a$b'c@[192.0.2.1]> ") == "<a$b'c@[192.0.2.1]>")
        let references = (1...30).map { "<ref\($0)@example.jp>" }
        let composed = try MessageComposer.compose(
            try ComposeChecks.message(inReplyTo: "parent@example.jp", references: references))
        #expect(ComposeChecks.field(composed.bytes, "In-Reply-To") == "<parent@example.jp>")
        let kept = ComposeChecks.field(composed.bytes, "References")?.split(separator: " ").map(String.init) ?? []
        #expect(kept == ["<ref1@example.jp>"] + (13...30).map { "<ref\($0)@example.jp>" } + ["<parent@example.jp>"])
        let parsed = ComposeChecks.parse(composed.bytes)
        #expect(parsed.inReplyTo == "parent@example.jp")
        #expect(parsed.references.count == 20)
        #expect(ComposeChecks.headerLines(composed.bytes).allSatisfy { $0.utf8.count <= 78 })
    }

    @Test("an invalid own Message-ID is an error")
    func ownMessageID() throws {
        var message = try ComposeChecks.message()
        message.messageID = "<x@y>\r\nBcc: a@b"
        #expect(throws: ComposeError.invalidMessageID) { try MessageComposer.compose(message) }
    }

    @Test("header fields in order, each once; Date in the given zone")
    func fieldOrder() throws {
        let composed = try MessageComposer.compose(try ComposeChecks.message(inReplyTo: "<p@example.jp>"))
        #expect(
            ComposeChecks.headerNames(composed.bytes) == [
                "date", "from", "to", "subject", "message-id", "in-reply-to", "references", "mime-version",
                "content-type", "content-transfer-encoding",
            ])
        #expect(ComposeChecks.field(composed.bytes, "Date") == "Tue, 4 Apr 2023 10:00:00 +0900")
        #expect(MailDate.format(1_680_570_000, offset: 0) == "Tue, 4 Apr 2023 01:00:00 +0000")
        #expect(MailDate.format(-1, offset: -(5 * 3600 + 30 * 60)) == "Wed, 31 Dec 1969 18:29:59 -0530")
        #expect(MailDate.format(951_782_400, offset: 0) == "Tue, 29 Feb 2000 00:00:00 +0000")
        #expect(MailDate.parse(Array("Tue, 4 Apr 2023 10:00:00 +0900".utf8)) == 1_680_570_000)
    }

    static let subjects: [String] = [
        "Re: [#123-K7Q2MX] お問い合わせの件について（ご回答）", "Re: plain ASCII subject", "",
        "=?UTF-8?B?SGk=?= literal", "a  double  space", String(repeating: "とても長い件名です。", count: 20),
        String(repeating: "x", count: 200), "絵文字 👨‍👩‍👧‍👦 と 🇯🇵",
        "e\u{301}\u{302}\u{303}" + String(repeating: "\u{301}", count: 40),
    ]

    @Test("subjects decode exactly; encoded words at most 75 characters; lines at most 78", arguments: subjects)
    func subjectRoundTrip(_ subject: String) throws {
        let composed = try MessageComposer.compose(try ComposeChecks.message(subject: subject))
        #expect(ComposeChecks.problems(composed.bytes) == [])
        #expect(ComposeChecks.parse(composed.bytes).subject == subject)
        let lines = ComposeChecks.headerLines(composed.bytes)
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines)")
        for line in lines {
            for word in line.split(separator: " ") where word.hasPrefix("=?") { #expect(word.utf8.count <= 75) }
        }
    }

    @Test("ISO-2022-JP subject words each start and end in ASCII mode")
    func iso2022JPWords() throws {
        let subject = String(repeating: "お問い合わせ①㈱髙﨑", count: 6)
        let composed = try MessageComposer.compose(try ComposeChecks.message(subject: subject, charset: .iso2022JP))
        let value = try #require(ComposeChecks.field(composed.bytes, "Subject"))
        let words = value.split(separator: " ")
        #expect(words.count > 3)
        for word in words {
            #expect(word.hasPrefix("=?ISO-2022-JP?B?") && word.hasSuffix("?="))
            let payload = Data(base64Encoded: String(word.dropFirst(16).dropLast(2))).map { [UInt8]($0) } ?? []
            #expect(payload.starts(with: [0x1B, 0x24, 0x42]))
            #expect(payload.suffix(3) == [0x1B, 0x28, 0x42])
        }
        #expect(ComposeChecks.parse(composed.bytes).subject == subject)
    }
}
