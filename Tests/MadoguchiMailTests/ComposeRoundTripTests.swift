// Composed replies read back by the repository's own MessageParser: subject,
// names, body, threading ids and attachments, in both charsets, with the NEC and
// IBM characters CP50221 carries.

import Foundation
import Testing

@testable import MadoguchiMail

@Suite struct ComposeRoundTripTests {
    static let subject = "Re: [#123-K7Q2MX] ご注文①の件（髙﨑様・㈱サンプル）№5 ㍻ ⅰⅱ ～"
    static let text = """
        髙﨑 様

        いつもお世話になっております。株式会社サンプル（㈱）サポート窓口です。
        ご注文番号 №12345 の件、①から⑳までの手順でご確認ください。
        Ⅰ Ⅱ Ⅲ ⅰ ⅱ ⅲ ￢ ∵ ≒ ～ ∥ － ￤ ＇ ＂ 纊 褜 鍈 銈 蓜 俉 炻 昱 棈 鋹 曻 彅
        ASCII line with = and "quotes" and a very long tail to be wrapped by the quoted-printable encoder.
        .
        -- 
        サポート窓口
        """

    @Test("subject, names, body and ids read back exactly", arguments: OutgoingCharset.allCases)
    func roundTrip(_ charset: OutgoingCharset) throws {
        let message = try ComposeChecks.message(
            subject: Self.subject, text: Self.text, charset: charset, toName: "髙﨑 ①郎", fromName: "㈱サンプル サポート",
            inReplyTo: "<CAF=x+y@mail.example.jp>", references: ["<root@example.jp>"],
            attachments: [
                OutgoingAttachment(filename: "髙﨑様_見積①.pdf", contentType: "application/pdf", data: [0, 1, 2, 255])
            ])
        let composed = try MessageComposer.compose(message)
        #expect(ComposeChecks.problems(composed.bytes) == [])
        let parsed = ComposeChecks.parse(composed.bytes)
        #expect(parsed.verdict == .ok)
        #expect(parsed.subject == Self.subject)
        #expect(parsed.textBody == Self.text + "\n")
        #expect(parsed.from == [MailAddress(name: "㈱サンプル サポート", address: "support@madoguchi.example")])
        #expect(parsed.to == [MailAddress(name: "髙﨑 ①郎", address: "hanako@example.jp")])
        #expect(parsed.messageID == "madoguchi.12.ABCDEFGHJKMNPQRS.TVWXYZ2345@madoguchi.example")
        #expect(parsed.inReplyTo == "CAF=x+y@mail.example.jp")
        #expect(parsed.references == ["root@example.jp", "CAF=x+y@mail.example.jp"])
        #expect(parsed.date == 1_680_570_000)
        #expect(
            parsed.attachments == [
                MailAttachment(filename: "髙﨑様_見積①.pdf", contentType: "application/pdf", data: [0, 1, 2, 255])
            ])
    }
}
