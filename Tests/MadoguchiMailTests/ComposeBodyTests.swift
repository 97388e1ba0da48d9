// The text part of a composed reply: line ends (C4 in madoguchi-security(7)),
// the choice of quoted-printable or base64 for UTF-8, 7bit ISO-2022-JP with its
// 998-octet fallback, and attachments (C5).

import Foundation
import MadoguchiTestSupport
import Testing

@testable import MadoguchiMail

@Suite struct ComposeBodyTests {
    static let hostileBodies: [(String, String)] = [
        ("a lone dot line", "Hello\n.\nBcc: x\n"),
        ("bare LF", "one\ntwo\n"),
        ("bare CR", "one\rtwo\r"),
        ("CRLF.CRLF", "end of data?\r\n.\r\nMAIL FROM:<evil@example>\r\n"),
        ("LF.LF smuggling", "x\n.\nRCPT TO:<evil@example>\n"),
        ("CR.CR and mixed", "x\r.\rRCPT TO:<evil@example>\r\n\n\r"),
        ("NEL and separators", "a\u{85}b\u{2028}c\u{2029}d"),
        ("NUL, ESC, SO, SI", "a\0b\u{1B}$Bc\u{0E}d\u{0F}e\n"),
        ("no final line end", "just text"),
        ("trailing blanks", "sig \n-- \nname\t\n"),
        ("From at line start", "From here\nFrom: x\n"),
    ]

    /// `text` as the parser gives it back: every line end LF, controls spaces, a final LF.
    static func expected(_ text: String) -> String {
        ComposeChecks.lf(String(decoding: TextBody.normalized(text), as: UTF8.self))
    }

    @Test("C4: every line end becomes CRLF; no bare CR or LF; the text reads back", arguments: hostileBodies)
    func hostileBody(_ testCase: (String, String)) throws {
        for charset in OutgoingCharset.allCases {
            let composed = try MessageComposer.compose(try ComposeChecks.message(text: testCase.1, charset: charset))
            #expect(ComposeChecks.problems(composed.bytes) == [], "\(testCase.0) \(charset)")
            #expect(ComposeChecks.parse(composed.bytes).textBody == Self.expected(testCase.1), "\(testCase.0)")
        }
        #expect(!Self.expected("a\0b\u{1B}c").contains("\u{1B}"))
        #expect(Self.expected("a\u{85}b\u{2028}c\u{2029}d") == "a\nb\nc\nd\n")
        #expect(Self.expected("x\r.\rRCPT\r\n\n\r") == "x\n.\nRCPT\n\n\n")
    }

    @Test("UTF-8: quoted-printable for mostly ASCII, base64 for mostly Japanese")
    func utf8Encoding() throws {
        let english = try MessageComposer.compose(
            try ComposeChecks.message(text: "Dear customer,\nthank you = much. 日本\n"))
        #expect(ComposeChecks.field(english.bytes, "Content-Transfer-Encoding") == "quoted-printable")
        #expect(ComposeChecks.field(english.bytes, "Content-Type") == "text/plain; charset=UTF-8")
        let japanese = try MessageComposer.compose(
            try ComposeChecks.message(text: String(repeating: "いつもお世話になっております。\n", count: 10)))
        #expect(ComposeChecks.field(japanese.bytes, "Content-Transfer-Encoding") == "base64")
        for composed in [english, japanese] {
            let body = String(decoding: composed.bytes, as: UTF8.self).components(separatedBy: "\r\n\r\n")[1]
            #expect(body.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        }
    }

    @Test("quoted-printable never splits a UTF-8 sequence and keeps lines at 76")
    func quotedPrintableLines() {
        let text = Array((String(repeating: "a", count: 70) + "日本語テキスト = end \r\n").utf8)
        var out: [UInt8] = []
        TransferEncoding.quotedPrintable(text, into: &out)
        let lines = String(decoding: out, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines[0] == String(repeating: "a", count: 70) + "=")
        #expect(lines.last == "")
        #expect(lines[lines.count - 2].hasSuffix("end=20"))
        var decoded: [UInt8] = []
        out.withUnsafeBufferPointer { TransferDecoding.quotedPrintable($0, header: false, into: &decoded) }
        #expect(decoded == text)
    }

    @Test("ISO-2022-JP: 7bit, each line back in ASCII before CRLF; base64 past 998 octets")
    func iso2022JPBody() throws {
        let composed = try MessageComposer.compose(
            try ComposeChecks.message(text: "お世話になっております。\nabc①def\n", charset: .iso2022JP))
        #expect(ComposeChecks.field(composed.bytes, "Content-Type") == "text/plain; charset=ISO-2022-JP")
        #expect(ComposeChecks.field(composed.bytes, "Content-Transfer-Encoding") == "7bit")
        let expected =
            MailFixture.jis("24 2A 40 24 4F 43 24 4B 24 4A 24 43 24 46 24 2A 24 6A 24 5E 24 39 21 23") + [0x0D, 0x0A]
            + Array("abc".utf8) + MailFixture.jis("2D 21") + Array("def\r\n".utf8)
        #expect(ComposeChecks.body(composed.bytes) == expected)

        let long = String(repeating: "長", count: 600)
        let fallback = try MessageComposer.compose(try ComposeChecks.message(text: long, charset: .iso2022JP))
        #expect(ComposeChecks.field(fallback.bytes, "Content-Transfer-Encoding") == "base64")
        #expect(ComposeChecks.problems(fallback.bytes) == [])
        #expect(ComposeChecks.parse(fallback.bytes).textBody == long + "\n")
    }

    @Test("ISO-2022-JP: characters it cannot carry are listed once, in order")
    func unencodable() throws {
        let message = try ComposeChecks.message(
            subject: "件名 😀", text: "안녕하세요 😀 café ｶﾞ ①\n", charset: .iso2022JP)
        #expect(
            throws: ComposeError.unencodable(
                charset: .iso2022JP, characters: ["😀", "안", "녕", "하", "세", "요", "é"])
        ) { try MessageComposer.compose(message) }
        #expect(throws: Never.self) {
            try MessageComposer.compose(try ComposeChecks.message(text: "😀", charset: .utf8))
        }
    }

    @Test("C5: attachments in multipart/mixed with sanitized names, checked types and base64 data")
    func attachments() throws {
        let data = (0..<3000).map { UInt8($0 % 256) }
        let files = [
            OutgoingAttachment(filename: "..\\..\\x.exe", contentType: "application/x-msdownload", data: data),
            OutgoingAttachment(filename: "/etc/passwd", contentType: "text/plain\r\nBcc: x", data: Array("root".utf8)),
            OutgoingAttachment(filename: "見積書（2023年度）\u{202E}fdp.exe", contentType: "APPLICATION/PDF", data: []),
            OutgoingAttachment(filename: "..", contentType: "multipart/mixed", data: [1, 2, 3]),
            OutgoingAttachment(
                filename: String(repeating: "とても長いファイル名", count: 20) + ".txt", contentType: "text/plain",
                data: Array("x".utf8)),
        ]
        for charset in OutgoingCharset.allCases {
            let composed = try MessageComposer.compose(try ComposeChecks.message(charset: charset, attachments: files))
            #expect(ComposeChecks.problems(composed.bytes) == [])
            #expect(ComposeChecks.headerLines(composed.bytes).allSatisfy { $0.utf8.count <= 78 })
            let lines = String(decoding: composed.bytes, as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.utf8.count <= 78 })
            let parsed = ComposeChecks.parse(composed.bytes)
            #expect(parsed.verdict == .ok)
            #expect(parsed.textBody == "お世話になっております。\n")
            #expect(
                parsed.attachments.map(\.filename) == [
                    "x.exe", "passwd", "見積書（2023年度）fdp.exe", "attachment.bin",
                    String(String(repeating: "とても長いファイル名", count: 20).prefix(200)),
                ])
            #expect(
                parsed.attachments.map(\.contentType) == [
                    "application/x-msdownload", "application/octet-stream", "application/pdf",
                    "application/octet-stream",
                    "text/plain",
                ])
            #expect(parsed.attachments.map(\.data) == files.map(\.data))
            let boundary = try #require(ComposeChecks.field(composed.bytes, "Content-Type")?.split(separator: "\"")[1])
            #expect(boundary.hasPrefix("=_"))
        }
    }

    @Test("the boundary does not occur in a 7bit text part")
    func boundary() {
        for _ in 0..<100 {
            let boundary = MessageComposer.makeBoundary(avoiding: [])
            #expect(boundary.utf8.count == 36 && boundary.hasPrefix("=_madoguchi_"))
        }
        #expect(MessageComposer.makeBoundary(avoiding: Array("--=_madoguchi_".utf8)).utf8.count == 36)
    }
}
