// ReplyTemplates: made, changed and deleted only with manage_templates (each audited in
// its transaction), listed with reply; names unique per mailbox; texts sealed; rendering
// in one pass — unknown placeholders stay, a value is never expanded again — and the
// customer's name is the one the thread shows, never the pseudonym.

import Foundation
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct ReplyTemplatesTests {
    static let t = LoginFixture.start + 60

    @Test("create, list, update, delete: manage_templates to change, reply to list; each change audited")
    func lifecycle() throws {
        let f = try AnsweringFixture()
        let admin = f.actor(f.admin)
        let yamada = f.actor(f.yamada)
        let seq = try f.lastSeq()
        let global = try f.write {
            try ReplyTemplates.create(
                name: " お礼 ", mailbox: nil, subject: nil, body: "{customer_name} 様\nありがとうございます。", by: admin,
                now: Self.t,
                in: $0)
        }
        let own = try f.write {
            try ReplyTemplates.create(
                name: "お礼", mailbox: f.filed.mailboxID, subject: "Re: お問い合わせ #{inquiry_number}",
                body: "{mailbox_name}の{operator_name}です。", by: admin, now: Self.t, in: $0)
        }
        #expect(throws: AnsweringError.duplicateTemplate("お礼")) {
            try f.write {
                try ReplyTemplates.create(
                    name: "お礼", mailbox: nil, subject: nil, body: "x", by: admin, now: Self.t, in: $0)
            }
        }
        #expect(throws: AnsweringError.notPermitted(.manageTemplates)) {
            try f.write {
                try ReplyTemplates.create(
                    name: "私の", mailbox: nil, subject: nil, body: "x", by: yamada, now: Self.t, in: $0)
            }
        }
        let forMailbox = try f.database.read { try ReplyTemplates.list(mailbox: f.filed.mailboxID, by: yamada, in: $0) }
        #expect(forMailbox.map(\.id) == [own, global])
        #expect(forMailbox.first?.subject == "Re: お問い合わせ #{inquiry_number}" && forMailbox.last?.name == "お礼")
        #expect(forMailbox.first?.mailboxName == "窓口サポート受付" && forMailbox.last?.mailboxID == nil)
        #expect(
            try f.database.read { try ReplyTemplates.list(mailbox: nil, by: admin, in: $0) }.map(\.id) == [global, own])

        try f.write {
            try ReplyTemplates.update(
                global, name: "お礼（短）", subject: "  ", body: "感謝", by: admin, now: Self.t + 5, in: $0)
        }
        let changed = try #require(
            try f.database.read { try ReplyTemplates.list(mailbox: nil, by: admin, in: $0) }.first)
        #expect(
            changed.name == "お礼（短）" && changed.subject == nil && changed.body == "感謝" && changed.updatedAt == Self.t + 5
        )
        #expect(throws: AnsweringError.notPermitted(.manageTemplates)) {
            try f.write { try ReplyTemplates.delete(own, by: yamada, now: Self.t, in: $0) }
        }
        try f.write { try ReplyTemplates.delete(own, by: admin, now: Self.t + 9, in: $0) }
        #expect(throws: AnsweringError.unknownTemplate(own)) {
            try f.write { try ReplyTemplates.delete(own, by: admin, now: Self.t + 9, in: $0) }
        }
        #expect(
            try f.audit(after: seq) == [
                "kanri template-add template:\(global) -",
                #"kanri template-add template:\#(own) {"mailbox":"\#(f.filed.mailboxID)"}"#,
                "kanri template-change template:\(global) -", "kanri template-delete template:\(own) -",
            ])
        let sealed = try f.database.connection.rows("SELECT body_enc FROM reply_templates").compactMap {
            $0.blob("body_enc")
        }
        #expect(sealed.count == 1 && !String(decoding: sealed[0], as: UTF8.self).contains("感謝"))
        let reader = f.actor(f.yamada, role: Role(name: "reader", permissions: [.readMail]))
        #expect(throws: AnsweringError.notPermitted(.reply)) {
            _ = try f.database.read { try ReplyTemplates.list(mailbox: nil, by: reader, in: $0) }
        }
    }

    @Test("bad names and bodies are refused; a missing mailbox is not found")
    func validation() throws {
        let f = try AnsweringFixture()
        let admin = f.actor(f.admin)
        for (name, body, error) in [
            ("", "x", AnsweringError.invalidTemplateName),
            (String(repeating: "名", count: 101), "x", .invalidTemplateName),
            ("tab\tname", "x", .invalidTemplateName), ("空", "  \n ", .emptyText),
            ("長", String(repeating: "x", count: 20_001), .textTooLong(maximum: 20_000)),
        ] {
            #expect(throws: error) {
                try f.write {
                    try ReplyTemplates.create(
                        name: name, mailbox: nil, subject: nil, body: body, by: admin, now: Self.t, in: $0)
                }
            }
        }
        #expect(throws: InquiryError.notFound("mailbox 999")) {
            try f.write {
                try ReplyTemplates.create(
                    name: "n", mailbox: 999, subject: nil, body: "x", by: admin, now: Self.t, in: $0)
            }
        }
    }

    @Test(
        "rendering: one pass, unknown placeholders and ones without a value stay, values never re-expanded",
        arguments: [
            ("{customer_name} 様", "山田 太郎 様"),
            ("#{inquiry_number} {unknown} {operator_name", "#42 {unknown} {operator_name"),
            ("{{mailbox_name}}", "{サポート}"),
            ("{operator_name}{operator_name}", "{inquiry_number}{inquiry_number}"),
            ("{Customer_Name} {customer_name }", "{Customer_Name} {customer_name }"),
            ("", ""),
        ])
    func render(template: String, expected: String) {
        let values: [ReplyTemplates.Placeholder: String] = [
            .customerName: "山田 太郎", .inquiryNumber: "42", .operatorName: "{inquiry_number}", .mailboxName: "サポート",
        ]
        #expect(ReplyTemplates.render(template, values: values) == expected)
        #expect(ReplyTemplates.render("{customer_name} 様", values: [:]) == "{customer_name} 様")
    }

    @Test("the customer's name is the thread's sender name (shown to every operator), never the pseudonym")
    func values() throws {
        let f = try AnsweringFixture()
        let hidden = try InquiryView.thread(
            f.inquiry, revealCustomers: false, actor: AccessActor(actor: "yamada"), in: f.database)
        let values = ReplyTemplates.values(for: hidden, operatorName: "山田 太郎")
        #expect(values[.customerName] == "山田 太郎" && values[.inquiryNumber] == String(f.inquiry))
        #expect(values[.mailboxName] == "窓口サポート受付" && values[.operatorName] == "山田 太郎")
        var nameless = hidden
        nameless.messages = nameless.messages.map { message in
            var copy = message
            copy.fromName = nil
            return copy
        }
        let pseudonym = try #require(nameless.inquiry.customerPseudonym)
        let without = ReplyTemplates.values(for: nameless, operatorName: "山田 太郎")
        #expect(without[.customerName] == nil)
        #expect(!ReplyTemplates.render("{customer_name} 様", values: without).contains(pseudonym))
    }
}
