// Composed replies read by another implementation: Python's `email` package with
// its default (RFC 5322) policy, as the customer's side of the round trip
// does. Python's iso2022_jp codec has no NEC rows, so the ISO-2022-JP text here is
// JIS X 0208 only (ComposeRoundTripTests covers the NEC and IBM characters).

import Foundation
import MadoguchiTestSupport
import Testing

@testable import MadoguchiMail

@Suite struct ComposePythonTests {
    static let python = "/usr/bin/python3"
    static let script = """
        import base64, email, email.policy, json, sys
        m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
        body = m.get_body(('plain',))
        names = ['date', 'from', 'to', 'cc', 'bcc', 'subject', 'message-id', 'in-reply-to', 'references',
                 'mime-version', 'content-type', 'content-transfer-encoding']
        print(json.dumps({
            'subject': str(m['subject']),
            'from': [m['from'].addresses[0].display_name, m['from'].addresses[0].addr_spec],
            'to': [[a.display_name, a.addr_spec] for a in m['to'].addresses],
            'messageID': m['message-id'], 'inReplyTo': m['in-reply-to'], 'references': m['references'],
            'date': m['date'].datetime.isoformat(),
            'counts': [len(m.get_all(n) or []) for n in names],
            'charset': body.get_content_charset(),
            'body': body.get_content().replace('\\r\\n', '\\n'),
            'attachments': [[a.get_filename(), a.get_content_type(),
                             base64.b64encode(a.get_payload(decode=True)).decode()] for a in m.iter_attachments()],
            'defects': [type(d).__name__ for p in m.walk() for d in p.defects]
                + [type(d).__name__ for n in names if m[n] is not None for d in m[n].defects],
        }, ensure_ascii=True))
        """

    static let texts: [OutgoingCharset: (subject: String, body: String, name: String)] = [
        .utf8: (
            "Re: [#123-K7Q2MX] お問い合わせの件（ご回答）😀 ①㈱髙﨑", "佐藤様\n\nいつもお世話になっております。\n①㈱髙﨑 😀 café\n.\nASCII = line\n-- \n窓口\n",
            "佐藤 花子, \"様\""
        ),
        .iso2022JP: (
            "Re: [#123-K7Q2MX] お問い合わせの件（ご回答）", "佐藤様\n\nいつもお世話になっております。\n漢字かなカナ ABC ｱｲｳ\n.\n-- \n窓口\n",
            "佐藤 花子"
        ),
    ]

    @Test(
        "Python's email package decodes subject, names, body, ids and attachments exactly",
        .timeLimit(.minutes(1)), arguments: OutgoingCharset.allCases)
    func python(_ charset: OutgoingCharset) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python))
        let sample = try #require(Self.texts[charset])
        let pdf = (0..<5000).map { UInt8(($0 * 7) % 256) }
        let message = try ComposeChecks.message(
            subject: sample.subject, text: sample.body, charset: charset, toName: sample.name, fromName: "サポート窓口",
            inReplyTo: "<parent@example.jp>", references: ["<root@example.jp>"],
            attachments: [
                OutgoingAttachment(filename: "見積書_2023年度版.pdf", contentType: "application/pdf", data: pdf),
                OutgoingAttachment(filename: "notes.txt", contentType: "text/plain", data: Array("a\r\nb".utf8)),
            ])
        let composed = try MessageComposer.compose(message)
        let outcome = try ChildProcess.run(
            Self.python, ["-c", Self.script], input: composed.bytes, errors: .separate, timeout: 30)
        #expect(outcome.status == 0, "\(outcome.errors)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any], "\(outcome.errors)")
        let expectedBody = sample.body.replacingOccurrences(of: "ｱｲｳ", with: "アイウ")
        #expect(json["subject"] as? String == sample.subject)
        #expect(json["from"] as? [String] == ["サポート窓口", "support@madoguchi.example"])
        #expect(json["to"] as? [[String]] == [[sample.name, "hanako@example.jp"]])
        #expect(json["messageID"] as? String == "<madoguchi.12.ABCDEFGHJKMNPQRS.TVWXYZ2345@madoguchi.example>")
        #expect(json["inReplyTo"] as? String == "<parent@example.jp>")
        #expect(json["references"] as? String == "<root@example.jp> <parent@example.jp>")
        #expect(json["date"] as? String == "2023-04-04T10:00:00+09:00")
        #expect(json["counts"] as? [Int] == [1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1])
        #expect(json["charset"] as? String == charset.rawValue.lowercased())
        #expect(json["body"] as? String == expectedBody)
        #expect(
            json["attachments"] as? [[String]] == [
                ["見積書_2023年度版.pdf", "application/pdf", Data(pdf).base64EncodedString()],
                ["notes.txt", "text/plain", Data("a\r\nb".utf8).base64EncodedString()],
            ])
        #expect(json["defects"] as? [String] == [])
    }
}
