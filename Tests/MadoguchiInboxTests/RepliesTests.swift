// Replies: a new draft is prefilled (one "Re: ", the verified tag once, the quoted
// original under a date and name line, the signature, the recipient from the customer),
// only its author edits it, saves are version-checked, the undo window's edges, and the
// approval rules (nobody approves their own reply, approve is needed, return with a
// comment). A masked operator never gets the customer's address back.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct RepliesTests {
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!

    /// Files a customer mail and starts a draft on it as `actor`.
    static func draft(
        _ h: ReplyHarness, actor: AnsweringActor, mail: [UInt8] = FilerHarness.mail(),
        language: ReplyQuote.Language = .ja
    ) throws -> (inquiry: Int64, reply: Reply) {
        let filed = try h.filing.filed(mail)
        let reply = try h.write { tx in
            try h.replies.start(
                inquiry: filed.inquiry, actor: actor, language: language, timeZone: tokyo, now: h.filing.clock, in: tx)
        }
        return (filed.inquiry, reply)
    }

    @Test("a new draft: one Re:, the verified tag, the quoted original with a ja date line, the signature")
    func prefilled() throws {
        let h = try ReplyHarness()
        let yamada = try h.user("yamada", name: "山田 花子")
        // 2026-12-02 10:42 in Tokyo (01:42 UTC).
        h.filing.clock = 1_796_175_720 - 60
        let (inquiry, reply) = try Self.draft(
            h, actor: yamada,
            mail: FilerHarness.mail(from: "山田 太郎 <taro@example.jp>", subject: "Re: RE: 請求書について", body: "一行目\n\n二行目"))
        let tag = try Threading.subjectTag(inquiryID: inquiry, keys: h.filing.keys)
        #expect(reply.subject == "Re: 請求書について \(tag)")
        #expect(reply.state == .draft && reply.authorID == yamada.userID && reply.version == 1)
        #expect(reply.recipient == "taro@example.jp" && reply.recipientRevealed)
        #expect(
            reply.body
                == "\n\n2026年12月2日(水) 10:42 山田 太郎 様:\n> 一行目\n>\n> 二行目\n\n--\n株式会社サンプル サポート窓口\n")
        // Starting again returns the same draft.
        let again = try h.write { tx in
            try h.replies.start(inquiry: inquiry, actor: yamada, language: .ja, timeZone: Self.tokyo, now: 0, in: tx)
        }
        #expect(again.id == reply.id)
    }

    @Test("the tag is not added twice; an HTML-only original is quoted as text; the en date line")
    func taggedAndHTML() throws {
        let h = try ReplyHarness()
        let yamada = try h.user("yamada", name: "山田 花子")
        let first = try h.filing.filed(FilerHarness.mail(subject: "見積"))
        let tag = try Threading.subjectTag(inquiryID: first.inquiry, keys: h.filing.keys)
        try h.write { tx in
            var values = RowValues()
            values.seal("subject_enc", "Re: 見積 \(tag)")
            try tx.update("inquiries", id: first.inquiry, values)
        }
        let html = Array(
            """
            From: Taro Yamada <taro@example.jp>\r
            To: support@example.com\r
            Subject: html\r
            Message-ID: <html-only@example.jp>\r
            MIME-Version: 1.0\r
            Content-Type: text/html; charset=UTF-8\r
            \r
            <p>Hello<br>World &amp; more</p>\r

            """.utf8)
        h.filing.clock = 1_796_175_720 - 60
        let message = try h.filing.filed(html)
        let reply = try h.write { tx in
            try h.replies.start(
                inquiry: first.inquiry, answering: nil, actor: yamada, language: .ja, timeZone: Self.tokyo,
                now: h.filing.clock, in: tx)
        }
        #expect(reply.subject == "Re: 見積 \(tag)")
        let other = try h.user("suzuki", name: "Suzuki")
        let english = try h.write { tx -> Reply in
            try h.replies.start(
                inquiry: message.inquiry, actor: other, language: .en, timeZone: Self.tokyo, now: 0, in: tx)
        }
        #expect(
            english.body?.hasPrefix("\n\nOn Wed, Dec 2, 2026 at 10:42, Taro Yamada wrote:\n> Hello\n> World & more")
                == true)
    }

    @Test("Re: prefixes collapse to one")
    func replySubject() {
        #expect(ReplyQuote.replySubject("請求書") == "Re: 請求書")
        #expect(ReplyQuote.replySubject("Re: Re: RE:請求書") == "Re: 請求書")
        #expect(ReplyQuote.replySubject("Ｒｅ：請求書") == "Re: 請求書")
        #expect(ReplyQuote.replySubject("Re[2]: 請求書") == "Re: 請求書")
        #expect(ReplyQuote.replySubject("Regarding 請求書") == "Re: Regarding 請求書")
    }

    @Test("a masked operator gets the pseudonym from every reply read, never the address")
    func masked() throws {
        let h = try ReplyHarness()
        var masked = Role.operator.permissions
        masked.remove(.viewAddresses)
        let role = Role(name: "operator", permissions: masked)
        let tanaka = try h.user("tanaka", name: "田中", role: role)
        let (inquiry, reply) = try Self.draft(h, actor: tanaka)
        let pseudonym = try h.database.read {
            try $0.rows(
                "SELECT c.pseudonym FROM inquiries i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?",
                [
                    .integer(inquiry)
                ]
            ).first?.string("pseudonym")
        }
        #expect(reply.recipient == pseudonym && !reply.recipientRevealed)
        let saved = try h.write { tx in
            try h.replies.save(
                draft: reply.id, version: 1, subject: "件名", body: "本文", statusAfter: .done, actor: tanaka, now: 1,
                in: tx)
        }
        let sent = try h.write { tx in try h.replies.send(draft: reply.id, actor: tanaka, now: 2, in: tx) }
        let reads = try h.write { tx in
            [saved, sent, try h.replies.reply(reply.id, actor: tanaka, in: tx)]
                + (try h.replies.replies(of: inquiry, actor: tanaka, in: tx))
        }
        for read in reads {
            #expect(read.recipient == pseudonym)
            #expect(!"\(read)".contains("taro@example.jp"))
        }
    }

    @Test("only the author edits a draft; an old version is refused; subjects lose line breaks (C1)")
    func editing() throws {
        let h = try ReplyHarness()
        let yamada = try h.user("yamada", name: "山田")
        let suzuki = try h.user("suzuki", name: "鈴木")
        let (_, reply) = try Self.draft(h, actor: yamada)
        #expect(throws: InquiryError.notFound("reply \(reply.id)")) {
            try h.write { tx in
                try h.replies.save(
                    draft: reply.id, version: 1, subject: "x", body: "y", statusAfter: .done, actor: suzuki, now: 1,
                    in: tx)
            }
        }
        #expect(throws: InquiryError.notFound("reply \(reply.id)")) {
            try h.write { tx in try h.replies.reply(reply.id, actor: suzuki, in: tx) }
        }
        let saved = try h.write { tx in
            try h.replies.save(
                draft: reply.id, version: 1, subject: "件名\r\nBcc: evil@example.net\u{2028}x", body: "本文\r\n二行目",
                statusAfter: .inProgress, actor: yamada, now: 1, in: tx)
        }
        #expect(saved.subject == "件名  Bcc: evil@example.net x" && saved.body == "本文\n二行目")
        #expect(saved.version == 2 && saved.statusAfter == "in_progress")
        #expect(throws: ReplyError.stale(current: 2)) {
            try h.write { tx in
                try h.replies.save(
                    draft: reply.id, version: 1, subject: "x", body: "y", statusAfter: .done, actor: yamada, now: 2,
                    in: tx)
            }
        }
        #expect(try h.write { tx in try h.replies.drafts(of: yamada, in: tx) }.map(\.id) == [reply.id])
        try h.write { tx in try h.replies.discard(draft: reply.id, actor: yamada, now: 3, in: tx) }
        #expect(try h.write { tx in try h.replies.drafts(of: yamada, in: tx) }.isEmpty)
    }

    @Test("send checks the draft and queues it for send_delay; cancel works until the last second only")
    func undoWindow() throws {
        let h = try ReplyHarness()
        let yamada = try h.user("yamada", name: "山田")
        let (inquiry, reply) = try Self.draft(h, actor: yamada)
        let now: Int64 = 1_800_000_000
        try h.write { tx in
            try h.replies.save(
                draft: reply.id, version: 1, subject: " ", body: "本文", statusAfter: .done, actor: yamada, now: now,
                in: tx)
        }
        #expect(throws: ReplyError.emptySubject) {
            try h.write { tx in try h.replies.send(draft: reply.id, actor: yamada, now: now, in: tx) }
        }
        try h.write { tx in
            try h.replies.save(
                draft: reply.id, version: 2, subject: "件名", body: " \n ", statusAfter: .done, actor: yamada, now: now,
                in: tx)
        }
        #expect(throws: ReplyError.emptyBody) {
            try h.write { tx in try h.replies.send(draft: reply.id, actor: yamada, now: now, in: tx) }
        }
        try h.write { tx in
            try h.replies.save(
                draft: reply.id, version: 3, subject: "件名", body: "お世話になっております。", statusAfter: .done, actor: yamada,
                now: now, in: tx)
        }
        try h.configureMailbox("support", from: nil)
        #expect(throws: ReplyError.noFromAddress) {
            try h.write { tx in try h.replies.send(draft: reply.id, actor: yamada, now: now, in: tx) }
        }
        try h.configureMailbox("support", from: "support@example.com")

        let queued = try h.write { tx in
            try h.replies.send(draft: reply.id, version: 4, actor: yamada, now: now, in: tx)
        }
        #expect(queued.state == .queued && queued.sendAfter == now + 60 && queued.timeLeft(now: now + 59) == 1)
        let messageID = try #require(queued.messageID)
        #expect(
            try Threading.outgoingReference(messageID, keys: h.filing.keys) == .verified(inquiryID: inquiry)
                && messageID.hasSuffix("@example.com>"))
        // A queued reply is no longer editable.
        #expect(throws: ReplyError.wrongState(.queued, action: "edited")) {
            try h.write { tx in
                try h.replies.save(
                    draft: reply.id, version: 5, subject: "x", body: "y", statusAfter: .done, actor: yamada, now: now,
                    in: tx)
            }
        }
        let cancelled = try h.write { tx in try h.replies.cancel(reply: reply.id, actor: yamada, now: now + 59, in: tx)
        }
        #expect(cancelled.state == .draft && cancelled.sendAfter == nil)
        try h.write { tx in try h.replies.send(draft: reply.id, actor: yamada, now: now + 100, in: tx) }
        #expect(
            try h.write { tx in try h.replies.timeLeft(reply: reply.id, actor: yamada, now: now + 160, in: tx) } == 0)
        #expect(throws: ReplyError.undoWindowOver) {
            try h.write { tx in try h.replies.cancel(reply: reply.id, actor: yamada, now: now + 160, in: tx) }
        }
        #expect(try h.events(inquiry) == ["reply-queued", "reply-cancelled", "reply-queued"])
        #expect(try h.auditActions() == ["reply-queue", "reply-cancel", "reply-queue"])
    }

    @Test("an ISO-2022-JP mailbox refuses to send a reply it cannot carry; CP50221 characters and UTF-8 pass")
    func unencodableRefused() throws {
        let h = try ReplyHarness()
        let yamada = try h.user("yamada", name: "山田")
        let (inquiry, reply) = try Self.draft(h, actor: yamada)
        let now: Int64 = 1_800_000_000
        try h.configureMailbox("support", from: "support@example.com", charset: "iso-2022-jp")
        // An emoji and a character outside JIS X 0208 (𠮷), twice: two distinct characters.
        try h.write { tx in
            try h.replies.save(
                draft: reply.id, version: 1, subject: "件名 😀", body: "𠮷野家の件です。😀 ①②", statusAfter: .done,
                actor: yamada, now: now, in: tx)
        }
        #expect(throws: ReplyError.unencodable(count: 2)) {
            try h.write { tx in try h.replies.send(draft: reply.id, actor: yamada, now: now, in: tx) }
        }
        let refused = try h.write { tx in try h.replies.reply(reply.id, actor: yamada, in: tx) }
        #expect(refused.state == .draft)
        #expect(!(try h.auditActions().contains("reply-queue")))
        #expect(
            MessageComposer.unencodableCharacters(in: [refused.subject ?? "", refused.body ?? ""], charset: .iso2022JP)
                == ["😀", "𠮷"])
        // NEC row 13 (①②) and the IBM extensions (髙) are carried.
        try h.write { tx in
            try h.replies.save(
                draft: reply.id, version: 2, subject: "件名", body: "髙橋様 ①② の件です。", statusAfter: .done, actor: yamada,
                now: now, in: tx)
        }
        #expect(
            try h.write { tx in try h.replies.send(draft: reply.id, actor: yamada, now: now, in: tx) }.state == .queued)
        // The same emoji in a UTF-8 mailbox is sent.
        try h.configureMailbox("support", from: "support@example.com", charset: "utf-8")
        let cancelled = try h.write { tx in try h.replies.cancel(reply: reply.id, actor: yamada, now: now + 1, in: tx) }
        try h.write { tx in
            try h.replies.save(
                draft: reply.id, version: cancelled.version, subject: "件名 😀", body: "𠮷野家", statusAfter: .done,
                actor: yamada,
                now: now + 1, in: tx)
        }
        #expect(
            try h.write { tx in try h.replies.send(draft: reply.id, actor: yamada, now: now + 1, in: tx) }.state
                == .queued)
        _ = inquiry
    }

    @Test("approval: own reply refused even for an administrator, approve needed, fresh window, return")
    func approval() throws {
        let h = try ReplyHarness()
        try h.configureMailbox("support", from: "support@example.com", approval: true)
        let admin = try h.user("boss", name: "部長", role: .administrator)
        let yamada = try h.user("yamada", name: "山田")
        let suzuki = try h.user("suzuki", name: "鈴木")
        let (inquiry, reply) = try Self.draft(h, actor: admin)
        let now: Int64 = 1_800_000_000
        let waiting = try h.write { tx in try h.replies.send(draft: reply.id, actor: admin, now: now, in: tx) }
        #expect(waiting.state == .awaitingApproval && waiting.sendAfter == nil)
        #expect(try h.status(inquiry) == "awaiting_approval")
        #expect(throws: ReplyError.ownReply) {
            try h.write { tx in try h.replies.approve(reply: reply.id, actor: admin, now: now, in: tx) }
        }
        #expect(throws: AnsweringError.notPermitted(.approve)) {
            try h.write { tx in try h.replies.approve(reply: reply.id, actor: yamada, now: now, in: tx) }
        }
        #expect(try h.write { tx in try h.replies.awaitingApproval(actor: admin, in: tx) }.map(\.id) == [reply.id])

        // Returned with a comment: a draft again, the comment shown, the inquiry in progress.
        let approver = AnsweringActor(
            userID: suzuki.userID, displayName: suzuki.displayName, role: .administrator, audit: suzuki.audit)
        #expect(throws: ReplyError.emptyComment) {
            try h.write { tx in
                try h.replies.returnToAuthor(reply: reply.id, comment: " ", actor: approver, now: now, in: tx)
            }
        }
        let returned = try h.write { tx in
            try h.replies.returnToAuthor(reply: reply.id, comment: "金額を確認してください", actor: approver, now: now + 5, in: tx)
        }
        #expect(returned.state == .draft && returned.returnComment == "金額を確認してください")
        #expect(returned.returnedByID == suzuki.userID && returned.returnedByName == "鈴木")
        #expect(try h.status(inquiry) == "in_progress")

        try h.write { tx in try h.replies.send(draft: reply.id, actor: admin, now: now + 10, in: tx) }
        let approved = try h.write { tx in
            try h.replies.approve(reply: reply.id, actor: approver, now: now + 500, in: tx)
        }
        #expect(approved.state == .queued && approved.sendAfter == now + 560)
        #expect(
            approved.approverID == suzuki.userID && approved.approverName == "鈴木" && approved.approvedAt == now + 500)
        #expect(
            try h.events(inquiry) == [
                "approval-requested", "returned", "approval-requested", "approved",
            ])
        #expect(try h.auditActions() == ["reply-queue", "reply-return", "reply-queue", "reply-approve"])
    }
}
