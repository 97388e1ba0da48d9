// MessageParser on real-world shaped messages: Japanese charsets in bodies and
// headers, RFC 2231 names, LF-only files, truncated and nested multiparts,
// related inline images, forwarded mail, groups and obsolete dates; and mail that is
// not Japanese: mbox lines and damage in the header block, Western 8-bit text,
// RFC 2231 boundary and charset, lenient dates, a named null sender.

import MadoguchiTestSupport
import Testing

@testable import MadoguchiMail

@Suite struct MessageParserTests {
    struct Expected: Sendable {
        var subject: String? = nil
        var fromName: String? = nil
        var fromAddress: String? = nil
        var to: [String] = []
        var cc: [String] = []
        var date: String? = nil
        var text: String? = nil
        var html: Bool = false
        var attachments: [String] = []  // "filename|type|size"
        var problem: String? = nil  // nil: verdict ok; else a word of the malformed reason
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let raw: [UInt8]
        let expected: Expected
        var testDescription: String { name }
    }

    static let sjisBody = MailFixture.hex("82 a8 96 e2 82 a2 8d 87 82 ed 82 b9 0d 0a 95 5c 8e a6")  // お問い合わせ\r\n表示

    static let cases: [Case] = [
        Case(
            name: "ISO-2022-JP with NEC characters in subject and body",
            raw: MailFixture.crlf(
                "From: \(MailFixture.word("ISO-2022-JP", MailFixture.jis("3A 34 46 23"))) <Sato@Example.JP>\n"
                    + "To: info@madoguchi.example\n"
                    + "Subject: \(MailFixture.word("ISO-2022-JP", MailFixture.jis("2D 21 2D 6A 2D 37")))\n"
                    + "Date: Tue, 4 Apr 2023 10:00:00 +0900\n"
                    + "Content-Type: text/plain; charset=\"iso-2022-jp\"\n\n")
                + MailFixture.jis("2D 21 2D 6A 2D 37") + [0x0D, 0x0A],
            expected: Expected(
                subject: "①㈱Ⅲ", fromName: "佐藤", fromAddress: "sato@example.jp", to: ["info@madoguchi.example"],
                date: "2023-04-04T01:00:00Z", text: "①㈱Ⅲ\n")),
        Case(
            name: "Shift_JIS body in base64",
            raw: MailFixture.crlf(
                "From: a@example.jp\nSubject: sjis\nContent-Type: text/plain; charset=Shift_JIS\n"
                    + "Content-Transfer-Encoding: base64\n\n\(MailFixture.base64(sjisBody))\n"),
            expected: Expected(subject: "sjis", fromAddress: "a@example.jp", text: "お問い合わせ\n表示")),
        Case(
            name: "Shift_JIS body in quoted-printable with soft breaks",
            raw: MailFixture.crlf(
                "From: a@example.jp\nContent-Type: text/plain; charset=x-sjis\n"
                    + "Content-Transfer-Encoding: Quoted-Printable\n\n=82=A8=96=E2=82=A2=8D=87=\n=82=ED=82=B9\n"
                    + "=95\\=8E=A6 =3D end=20\n"),
            expected: Expected(fromAddress: "a@example.jp", text: "お問い合わせ\n表示 = end \n")),
        Case(
            name: "EUC-JP body",
            raw: Array("From: e@example.jp\nContent-Type: text/plain; charset=EUC-JP\n\n".utf8)
                + MailFixture.hex("a4 aa cc e4 a4 a4 b9 e7 a4 ef a4 bb 0a"),
            expected: Expected(fromAddress: "e@example.jp", text: "お問い合わせ\n")),
        Case(
            name: "RFC 2231 continued Japanese file name",
            raw: MailFixture.crlf(
                "From: a@example.jp\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\n"
                    + "Content-Type: text/plain\n\nsee attachment\n--b1\n"
                    + "Content-Type: application/pdf\n"
                    + "Content-Disposition: attachment;\n filename*0*=ISO-2022-JP'ja'%1B%24B%38%2B%40%51;\n"
                    + " filename*1*=%3D%71%1B%28B.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--b1--\n"),
            expected: Expected(
                fromAddress: "a@example.jp", text: "see attachment", attachments: ["見積書.pdf|application/pdf|5"])),
        Case(
            name: "RFC 2047 file name in quotes (Japanese mailers)",
            raw: MailFixture.crlf(
                "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
                    + "Content-Type: application/octet-stream; name=\"\(MailFixture.word("UTF-8", Array("資料.xlsx".utf8)))\"\n"
                    + "Content-Disposition: attachment\n\nxyz\n--b--\n"),
            expected: Expected(attachments: ["資料.xlsx|application/octet-stream|3"])),
        Case(
            name: "LF-only file",
            raw: Array(
                "From: Taro <taro@example.jp>\nTo: a@x.jp\nSubject: lf\n only\nDate: 1 Apr 2023 00:00:00 +0000\n\nline1\nline2\n"
                    .utf8),
            expected: Expected(
                subject: "lf only", fromName: "Taro", fromAddress: "taro@example.jp", to: ["a@x.jp"],
                date: "2023-04-01T00:00:00Z", text: "line1\nline2\n")),
        Case(
            name: "truncated multipart (no close boundary)",
            raw: MailFixture.crlf(
                "Content-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\nfirst\n--zz\n"
                    + "Content-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo"),
            expected: Expected(text: "first", attachments: ["nil|image/png|8"])),
        Case(
            name: "nested alternative in mixed, with attached .txt",
            raw: MailFixture.crlf(
                "Content-Type: multipart/mixed; boundary=outer\n\npreamble\n--outer\n"
                    + "Content-Type: multipart/alternative; boundary=inner\n\n--inner\n"
                    + "Content-Type: text/plain; charset=utf-8\n\nplain text\n--inner\n"
                    + "Content-Type: text/html; charset=utf-8\n\n<p>html</p>\n--inner--\n--outer\n"
                    + "Content-Type: text/plain; name=notes.txt\n\nnotes\n--outer--\nepilogue\n"),
            expected: Expected(text: "plain text", html: true, attachments: ["notes.txt|text/plain|5"])),
        Case(
            name: "related with inline images",
            raw: MailFixture.crlf(
                "Content-Type: multipart/related; boundary=r; type=text/html\n\n--r\n"
                    + "Content-Type: text/html; charset=utf-8\n\n<img src=\"cid:i1\">\n--r\n"
                    + "Content-Type: image/gif\nContent-ID: <i1>\nContent-Disposition: inline\n"
                    + "Content-Transfer-Encoding: base64\n\nR0lGODlh\n--r--\n"),
            expected: Expected(text: nil, html: true, attachments: ["nil|image/gif|6"])),
        Case(
            name: "two inline text parts around an image are joined",
            raw: MailFixture.crlf(
                "Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nhello\n--m\n"
                    + "Content-Type: image/jpeg\nContent-Disposition: inline\n\n\n--m\n"
                    + "Content-Type: text/plain\n\nbye\n--m--\n"),
            expected: Expected(text: "hello\nbye", attachments: ["nil|image/jpeg|0"])),
        Case(
            name: "forwarded message/rfc822 is one attachment, not descended",
            raw: MailFixture.crlf(
                "Subject: Fwd\nContent-Type: multipart/mixed; boundary=f\n\n--f\nContent-Type: text/plain\n\nFYI\n--f\n"
                    + "Content-Type: message/rfc822\n\nSubject: inner\nContent-Type: text/html\n\n<b>x</b>\n--f--\n"),
            expected: Expected(
                subject: "Fwd", text: "FYI", html: false, attachments: ["nil|message/rfc822|51"])),
        Case(
            name: "RFC 2047 split multibyte across words, joined without blanks",
            raw: Array(
                ("Subject: =?UTF-8?B?" + MailFixture.base64([0xE6, 0x97]) + "?= \n =?utf-8?b?"
                    + MailFixture.base64([0xA5, 0xE6, 0x9C, 0xAC]) + "?= =?UTF-8?Q?=E8=AA=9E_x?= tail\n\nb").utf8),
            expected: Expected(subject: "日本語 x tail", text: "b")),
        Case(
            name: "groups are flattened; comments and quoted names",
            raw: Array(
                ("From: \"Yamada, Taro\" <TARO@Example.JP> (work)\n"
                    + "To: Team: a@x.jp, \"B\" <b@x.jp>;, c@x.jp (Charlie), undisclosed-recipients:;\n"
                    + "Cc: <@route.example:d@x.jp>\n\nx").utf8),
            expected: Expected(
                fromName: "Yamada, Taro", fromAddress: "taro@example.jp", to: ["a@x.jp", "b@x.jp", "c@x.jp"],
                cc: ["d@x.jp"], text: "x")),
        Case(
            name: "RFC 6532 UTF-8 display name and raw Shift_JIS name",
            raw: Array("From: 山田太郎 <yamada@example.jp>\nTo: ".utf8) + MailFixture.hex("8d b2 93 a1")
                + Array(" <sato@example.jp>\n\nx".utf8),
            expected: Expected(
                fromName: "山田太郎", fromAddress: "yamada@example.jp", to: ["sato@example.jp"], text: "x")),
        Case(
            name: "obsolete date: two-digit year, no seconds, named zone",
            raw: Array("Date: 04 Apr 23 10:00 EDT\n\nx".utf8),
            expected: Expected(date: "2023-04-04T14:00:00Z", text: "x")),
        Case(
            name: "obsolete date: comment and three-digit year",
            raw: Array("Date: Mon (day), 3 Jan 104 23:59:60 (leap) -0130\n\nx".utf8),
            expected: Expected(date: "2004-01-04T01:30:00Z", text: "x")),
        Case(
            name: "invalid date is nil",
            raw: Array("Date: 31 Feb 2023 10:00:00 +0000\n\nx".utf8),
            expected: Expected(date: nil, text: "x")),
        Case(
            name: "duplicate Content-Type: the first wins; header names in odd case",
            raw: Array(
                ("CONTENT-type: text/plain; charset=utf-8\ncontent-TYPE: text/html\nsUbJeCt: odd\n\nbody").utf8),
            expected: Expected(subject: "odd", text: "body")),
        Case(
            name: "inline text/plain with an empty file name is a body part",
            raw: Array("Content-Type: text/plain; name=\"\"\nContent-Disposition: inline; filename=\"\"\n\nhi".utf8),
            expected: Expected(text: "hi")),
        Case(
            name: "empty text part gives an empty body",
            raw: Array("Content-Type: text/plain\n\n".utf8),
            expected: Expected(text: "")),
    ]

    /// Real-world mail that is not Japanese: damaged header blocks, Western 8-bit
    /// text, RFC 2231 boundary and charset, lenient dates, a named null sender.
    static let worldCases: [Case] = [
        Case(
            name: "mbox From line after Replied: lines keeps the fields below it",
            raw: Array(
                ("Replied: Thu, 14 Nov 2002 11:00:00 +0100\nForwarded: Thu, 14 Nov 2002 11:05:00 +0100\n"
                    + "From sender@example.com Thu Nov 14 10:00:00 2002\nReturn-Path: <sender@example.com>\n"
                    + "From: Sender <sender@example.com>\nTo: info@madoguchi.example\nSubject: hello\n"
                    + "Date: Thu, 14 Nov 2002 09:00:00 +0000\n\nbody\n").utf8),
            expected: Expected(
                subject: "hello", fromName: "Sender", fromAddress: "sender@example.com",
                to: ["info@madoguchi.example"], date: "2002-11-14T09:00:00Z", text: "body\n")),
        Case(
            name: "a junk line among the fields is skipped and reported",
            raw: MailFixture.crlf("From: a@example.com\nthis line has no field name\nSubject: kept\n\nbody"),
            expected: Expected(
                subject: "kept", fromAddress: "a@example.com", text: "body", problem: "without a field name")),
        Case(
            name: "a leading folded line without a field is skipped and reported",
            raw: Array(" stray continuation\nSubject: kept\n\nbody".utf8),
            expected: Expected(subject: "kept", text: "body", problem: "without a field name")),
        Case(
            name: "fields read as body after a missing blank line are reported",
            raw: Array("From: a@example.com\nHello,\nSubject: lost\nthanks\n".utf8),
            expected: Expected(
                fromAddress: "a@example.com", text: "Hello,\nSubject: lost\nthanks\n", problem: "read as body")),
        Case(
            name: "a part without a blank line is body, and a field-like line in it is reported",
            raw: Array(
                "Content-Type: multipart/mixed; boundary=b\n\n--b\nHello\nTel: 03-1234-5678\n--b--\n".utf8),
            expected: Expected(text: "Hello\nTel: 03-1234-5678", problem: "read as body")),
        Case(
            name: "RFC 2231 boundary (mutt)",
            raw: MailFixture.crlf(
                "From: a@example.com\nContent-Type: multipart/mixed; boundary*=us-ascii'en'mutt%2Db1%3D\n\n"
                    + "--mutt-b1=\nContent-Type: text/plain; charset=us-ascii\n\nhello\n--mutt-b1=\n"
                    + "Content-Type: application/pdf\nContent-Disposition: attachment; filename=\"a.pdf\"\n\n"
                    + "PDF\n--mutt-b1=--\n"),
            expected: Expected(fromAddress: "a@example.com", text: "hello", attachments: ["a.pdf|application/pdf|3"])),
        Case(
            name: "RFC 2231 boundary continuation",
            raw: Array(
                ("Content-Type: multipart/alternative;\n boundary*0=\"abc\";\n boundary*1*=%2Ddef\n\n"
                    + "--abc-def\nContent-Type: text/plain\n\nplain\n--abc-def\nContent-Type: text/html\n\n<p>x</p>\n"
                    + "--abc-def--\n").utf8),
            expected: Expected(text: "plain", html: true)),
        Case(
            name: "RFC 2231 charset",
            raw: Array("Content-Type: text/plain; charset*=us-ascii'en'koi8-r\n\n".utf8)
                + MailFixture.hex("f0 d2 c9 d7 c5 d4"),
            expected: Expected(text: "Привет")),
        Case(
            name: "RFC 2231 charset continuation",
            raw: Array("Content-Type: text/plain; charset*0=iso-8859; charset*1*=%2D5\n\n".utf8)
                + MailFixture.hex("bf e0 d8 d2 d5 e2"),
            expected: Expected(text: "Привет")),
        Case(
            name: "unlabeled CP1252 body and Latin-1 subject",
            raw: Array("Subject: Caf".utf8) + [0xE9] + Array(" cr".utf8) + [0xE8] + Array("me\n\nIt".utf8) + [0x92]
                + Array("s ".utf8) + [0x93] + Array("fine".utf8) + [0x94] + Array(", ".utf8) + [0xA3]
                + Array("5.\n".utf8),
            expected: Expected(subject: "Café crème", text: "It’s “fine”, £5.\n")),
        Case(
            name: "long English day and month names",
            raw: Array("Date: Thursday, 14 November 2002 10:00:00 +0100\n\nx".utf8),
            expected: Expected(date: "2002-11-14T09:00:00Z", text: "x")),
        Case(
            name: "asctime date",
            raw: Array("Date: Thu Nov 14 10:00:00 2002\n\nx".utf8),
            expected: Expected(date: "2002-11-14T10:00:00Z", text: "x")),
        Case(
            name: "named null sender keeps its name",
            raw: Array("From: MAILER DAEMON <>\nSubject: Undeliverable\n\nx".utf8),
            expected: Expected(subject: "Undeliverable", fromName: "MAILER DAEMON", fromAddress: "", text: "x")),
    ]

    @Test("parses real-world shaped messages", arguments: cases + worldCases)
    func parses(_ testCase: Case) {
        let message = MailFixture.parse(testCase.raw)
        let expected = testCase.expected
        if let problem = expected.problem {
            if case .malformed(let reason) = message.verdict {
                #expect(reason.contains(problem), "\(reason)")
            } else {
                Issue.record("verdict \(message.verdict), expected malformed mentioning \"\(problem)\"")
            }
        } else {
            #expect(message.verdict == .ok)
        }
        #expect(message.subject == expected.subject)
        #expect(message.from.first?.name == expected.fromName)
        #expect(message.from.first?.address == expected.fromAddress)
        #expect(message.to.map(\.address) == expected.to)
        #expect(message.cc.map(\.address) == expected.cc)
        #expect(message.date.map { MailDate.iso8601($0) } == expected.date)
        #expect(message.textBody == expected.text)
        #expect((message.htmlBody != nil) == expected.html)
        let attachments = message.attachments.map { "\($0.filename ?? "nil")|\($0.contentType)|\($0.data.count)" }
        #expect(attachments == expected.attachments)
        #expect(message.raw == testCase.raw)
    }

    @Test("header fields keep order and duplicates; lookup is case-insensitive")
    func headerFields() {
        let raw = Array(
            "Received: a\nreceived: b\nAuto-Submitted: auto-replied\nX-Long: \(String(repeating: "x", count: 2000))\n\n"
                .utf8)
        let message = MailFixture.parse(raw)
        #expect(message.headers.all("RECEIVED") == ["a", "b"])
        #expect(message.headers.first("auto-submitted") == "auto-replied")
        #expect(message.headers.first("x-long")?.count == 2000)
        #expect(message.headers.first("Precedence") == nil)
        let folded = MailFixture.parse(MailFixture.crlf("Subject: =?UTF-8?B?5pel?=\n =?UTF-8?B?5pys?=\n\n"))
        #expect(folded.headers.first("subject") == "=?UTF-8?B?5pel?= =?UTF-8?B?5pys?=")
        #expect(folded.headers.decoded("Subject") == "日本")
        #expect(folded.subject == "日本")
        #expect(message.headers.fields.map(\.name) == ["Received", "received", "Auto-Submitted", "X-Long"])
    }

    @Test("control characters in address fields are skipped (fuzzer regression: endless loop)")
    func controlCharactersInAddresses() {
        let message = MailFixture.parse(Array("From: \u{1}a@b.jp\u{0} \u{7F}\nTo: \u{2},\u{3}<c@d.jp>\n\n".utf8))
        #expect(message.from.map(\.address) == ["a@b.jp\u{7F}"])
        #expect(message.to.map(\.address) == ["c@d.jp"])
    }

    @Test("message ids lose their angle brackets and keep their order")
    func messageIDs() {
        let raw = Array(
            "Message-ID: <a@b>\nIn-Reply-To: <x@y> (comment)\nReferences: <1@h>\n\t<2@h> <3@h>\n\n".utf8)
        let message = MailFixture.parse(raw)
        #expect(message.messageID == "a@b")
        #expect(message.inReplyTo == "x@y")
        #expect(message.references == ["1@h", "2@h", "3@h"])
        let bare = MailFixture.parse(Array("Message-ID: abc@def\nIn-Reply-To: your message of Mon, 3 Apr\n\n".utf8))
        #expect(bare.messageID == "abc@def")
        #expect(bare.inReplyTo == nil)
        #expect(bare.references == [])
    }
}
