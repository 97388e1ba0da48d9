// inspect-mail end to end on the README demo samples: runs InspectMailCommand with
// its output captured in a file and checks the exact JSON key set and values, the
// per-file error path (exit 65, others still printed) and the readable summary.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiPrograms
import MadoguchiTestSupport
import Testing

@testable import MadoguchiMail

@Suite struct InspectMailCommandTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples").path

    static let keys: Set<String> = [
        "file", "subject", "from_name", "from_addr", "to_addrs", "cc_addrs", "date", "message_id", "in_reply_to",
        "references", "text_body", "has_html", "attachments",
    ]

    /// Runs the command; returns its status and standard output.
    private func run(_ arguments: [String]) throws -> (SysExit, String) {
        let directory = try TemporaryDirectory()
        let outputPath = directory.file("out")
        let fd = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        let context = ToolContext(
            tool: ToolDescription(name: "madoguchi", usage: InspectMailCommand.usage, configuration: .optional),
            configuration: .defaults, arguments: try CommandLineParser.parse([], options: []),
            log: Log(program: "madoguchi-test"))
        let status = InspectMailCommand.run(AdminInvocation(arguments: arguments, context: context, output: fd))
        close(fd)
        let text = try String(contentsOfFile: outputPath, encoding: .utf8)
        return (status, text)
    }

    private func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any])
        }
    }

    @Test("JSON output on the samples has the exact keys and values")
    func samplesJSON() throws {
        let names = ["forwarded.eml", "iso2022jp-inquiry.eml", "sjis-inquiry.eml", "utf8-html-pdf.eml"]
        let paths = names.map { InspectMailCommandTests.samples + "/" + $0 }
        let (status, text) = try run(["--json"] + paths)
        #expect(status == .ok)
        let lines = try objects(text)
        try #require(lines.count == 4)
        for (line, path) in zip(lines, paths) {
            #expect(Set(line.keys) == InspectMailCommandTests.keys)
            #expect(line["file"] as? String == path)
        }
        let forwarded = lines[0]
        #expect(forwarded["subject"] as? String == "Fwd: 返品について")
        #expect(forwarded["from_name"] as? String == "Company Info")
        #expect(forwarded["from_addr"] as? String == "info@company.example")
        #expect(forwarded["to_addrs"] as? [String] == ["desk@madoguchi.example"])
        #expect(forwarded["date"] as? String == "2023-04-04T01:00:00Z")
        #expect(forwarded["in_reply_to"] is NSNull)
        #expect(forwarded["text_body"] as? String == "転送します。\n")
        #expect(forwarded["has_html"] as? Bool == false)
        let forwardedParts = try #require(forwarded["attachments"] as? [[String: Any]])
        #expect(forwardedParts.count == 1)
        #expect(Set(forwardedParts[0].keys) == ["filename", "content_type", "size", "sha256"])
        #expect(forwardedParts[0]["filename"] is NSNull)
        #expect(forwardedParts[0]["content_type"] as? String == "message/rfc822")
        #expect(forwardedParts[0]["size"] as? Int == 282)
        #expect(
            forwardedParts[0]["sha256"] as? String
                == "333e1382e1d05fa6ab431b2171b50845bcab895c62db66c3195a56df1908d0c9")

        let jis = lines[1]
        #expect(jis["subject"] as? String == "【至急】①納期と㈱の請求書Ⅲ期分")
        #expect(jis["from_name"] as? String == "鈴木 花子")
        #expect(jis["to_addrs"] as? [String] == ["info@madoguchi.example", "sales@madoguchi.example"])
        #expect(jis["cc_addrs"] as? [String] == ["support@madoguchi.example", "tanaka@example.jp"])
        #expect(jis["date"] as? String == "2023-04-05T00:30:00Z")
        #expect(jis["message_id"] as? String == "abc.123@mail.example.jp")
        #expect(jis["in_reply_to"] as? String == "20230404100000.1234@example.co.jp")
        #expect(jis["references"] as? [String] == ["first@example.jp", "20230404100000.1234@example.co.jp"])
        #expect(
            jis["text_body"] as? String == "佐藤様\n\n①　納期について\n②　㈱マドグチの担当者\nⅢ期の請求書を送付ください。\nﾃｽﾄ\n")
        #expect((jis["attachments"] as? [Any])?.isEmpty == true)

        let sjis = lines[2]
        #expect(sjis["subject"] as? String == "見積もりのお願い（ソフトウェア）")
        #expect(sjis["from_name"] as? String == "山田 太郎")
        #expect(sjis["from_addr"] as? String == "taro.yamada@example.co.jp")
        #expect(sjis["cc_addrs"] as? [String] == [])
        #expect(sjis["message_id"] as? String == "20230404100000.1234@example.co.jp")
        #expect(
            sjis["text_body"] as? String
                == "お世話になっております。\n株式会社サンプルの山田です。\n表示の件でお問い合わせします。ソフトウェアの\n見積もりをお願いできますでしょうか。\n")

        let html = lines[3]
        #expect(html["subject"] as? String == "資料送付 and 見積")
        #expect(html["from_name"] as? String == "Ito, Jiro (伊藤)")
        #expect(html["date"] as? String == "2023-04-05T21:15:16Z")
        #expect(html["text_body"] as? String == "こんにちは。\n添付の資料をご確認ください。\n価格は 1,000円 です。=等号\n")
        #expect(html["has_html"] as? Bool == true)
        let pdf = try #require((html["attachments"] as? [[String: Any]])?.first)
        #expect(pdf["filename"] as? String == "見積書 2023年4月.pdf")
        #expect(pdf["content_type"] as? String == "application/pdf")
        #expect(pdf["size"] as? Int == 77)
        #expect(pdf["sha256"] as? String == "56c2ac043c28d3543275a6f50b593a6beb0b6888ed8159ac02e3e7f4a32ccb26")
    }

    @Test("bad files get an error and exit 65 while the rest are still printed")
    func badFiles() throws {
        let good = InspectMailCommandTests.samples + "/sjis-inquiry.eml"
        let (status, text) = try run(["--json", "/nonexistent/x.eml", InspectMailCommandTests.samples, good])
        #expect(status == .dataError)
        let lines = try objects(text)
        #expect(lines.count == 1)
        #expect(lines.first?["file"] as? String == good)
    }

    @Test("a FIFO or device is refused without blocking", .timeLimit(.minutes(1)), .blocksThreads)
    func specialFiles() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.file("fifo")
        try #require(mkfifo(fifo, 0o600) == 0)
        let (status, text) = try run(["--json", fifo, "/dev/zero"])
        #expect(status == .dataError)
        #expect(text.isEmpty)
    }

    @Test("control characters and U+2028 are escaped; the output is one line per message")
    func escaping() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("ctl.eml")
        let raw = Array("Subject: =?UTF-8?Q?a=0Ab=1B[31m=E2=80=A8\"\\?=\n\n\u{7}x\r\n".utf8)
        try Data(raw).write(to: URL(fileURLWithPath: path))
        let (status, text) = try run(["--json", path])
        #expect(status == .ok)
        #expect(text.hasSuffix("\n") && text.filter { $0 == "\n" }.count == 1)
        #expect(text.contains(#""subject":"a\nb\u001b[31m\u2028\"\\""#))
        #expect(text.contains(#""text_body":"\u0007x\n""#))
        let line = try #require(try objects(text).first)
        #expect(line["subject"] as? String == "a\nb\u{1B}[31m\u{2028}\"\\")
    }

    @Test("the readable summary escapes control characters")
    func summary() throws {
        let (status, text) = try run([InspectMailCommandTests.samples + "/utf8-html-pdf.eml"])
        #expect(status == .ok)
        #expect(text.contains("Subject:     資料送付 and 見積"))
        #expect(text.contains("Attachment:  見積書 2023年4月.pdf (application/pdf, 77 bytes"))
        let message = MessageParser(limits: .standard).parse(Array("Subject: =?UTF-8?Q?x=1B[2Jy?=\n\n".utf8))
        #expect(!message.inspectionSummary(file: "f").contains("\u{1B}"))
    }

    @Test("no file is a usage error")
    func usage() throws {
        let (status, _) = try run(["--json"])
        #expect(status == .usage)
    }
}
