// Outbox: what send-replies sees and records — due items after the undo window with
// everything decrypted, begin/attempting/sent (the thread's out message; the customer's
// answer threads back), reconcile after a killed run (attempt recorded or not), retries
// with back-off until send_queue_lifetime, 5xx failures with the address redacted,
// resend and mark-as-sent, and bounces that attach to the inquiry they belong to.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct OutboxTests {
    static let now: Int64 = 1_800_000_000

    /// A queued reply to a filed customer mail; `send` at `now`, due at `now + 60`.
    static func queued(_ h: ReplyHarness, actor: AnsweringActor, messageID: String = "first@example.jp") throws
        -> (inquiry: Int64, message: Int64, reply: Reply)
    {
        let filed = try h.filing.filed(
            FilerHarness.mail(messageID: messageID, references: ["older@example.jp"], body: "お見積りをお願いします。"))
        let reply = try h.write { tx -> Reply in
            let draft = try h.replies.start(
                inquiry: filed.inquiry, actor: actor, language: .ja, timeZone: TimeZone(identifier: "UTC")!, now: now,
                in: tx)
            try h.replies.save(
                draft: draft.id, version: draft.version, subject: draft.subject ?? "", body: "お見積りを添付します。",
                statusAfter: .done, actor: actor, now: now, in: tx)
            return try h.replies.send(draft: draft.id, actor: actor, now: now, in: tx)
        }
        return (filed.inquiry, filed.message, reply)
    }

    @Test("due after the undo window, decrypted; sent records the out message and the answer threads back")
    func sentAndAnswered() throws {
        let h = try ReplyHarness()
        let yamada = try h.user("yamada", name: "山田")
        let (inquiry, _, reply) = try Self.queued(h, actor: yamada)
        #expect(try h.write { tx in try h.outbox.due(now: Self.now + 59, limit: 10, in: tx) }.isEmpty)
        let items = try h.write { tx in try h.outbox.due(now: Self.now + 60, limit: 10, in: tx) }
        let item = try #require(items.first)
        #expect(items.count == 1 && item.replyID == reply.id && item.inquiryID == inquiry)
        #expect(item.recipient == "taro@example.jp" && item.fromAddress == "support@example.com")
        #expect(item.fromName == "サポート窓口" && item.charset == "utf-8" && item.body == "お見積りを添付します。")
        #expect(item.subject == reply.subject && item.messageID == reply.messageID && item.date == Self.now + 60)
        #expect(item.inReplyTo == "<first@example.jp>")
        #expect(item.references == ["<older@example.jp>", "<first@example.jp>"])

        // send-replies: begin, attempting, sent.
        try h.write { tx in try h.outbox.begin(reply: reply.id, now: Self.now + 60, in: tx) }
        #expect(throws: ReplyError.undoWindowOver) {
            try h.write { tx in try h.replies.cancel(reply: reply.id, actor: yamada, now: Self.now + 61, in: tx) }
        }
        try h.write { tx in try h.outbox.attempting(reply: reply.id, now: Self.now + 61, in: tx) }
        let messageRow = try h.write { tx in
            try h.outbox.sent(reply: reply.id, relayAnswer: "250 2.0.0 Ok: queued as 4ABC", now: Self.now + 62, in: tx)
        }
        let done = try h.write { tx in try h.replies.reply(reply.id, actor: yamada, in: tx) }
        #expect(done.state == .sent && done.sentAt == Self.now + 62)
        #expect(try h.status(inquiry) == "done")
        let thread = try InquiryView.thread(inquiry, revealCustomers: true, actor: yamada.audit, in: h.database)
        let out = try #require(thread.messages.last)
        #expect(out.id == messageRow && out.direction == "out" && out.text == "お見積りを添付します。")
        #expect(out.to.map(\.address) == ["taro@example.jp"] && out.fromAddress == "support@example.com")
        #expect(try h.filing.count("SELECT reply_id FROM messages WHERE id = ?", [.integer(messageRow)]) == reply.id)
        #expect(try h.events(inquiry) == ["reply-queued", "reply-sent"])
        #expect(try h.auditActions() == ["reply-queue", "reply-sent", "inquiry-view"])

        // The customer answers our Message-ID: same inquiry, which is new again.
        let ours = try #require(reply.messageID).dropFirst().dropLast()
        let answer = try h.filing.filed(FilerHarness.mail(subject: "Re: ありがとうございます", inReplyTo: String(ours)))
        #expect(answer.inquiry == inquiry)
        #expect(try h.status(inquiry) == "new")
    }

    @Test("sent(k) and attempting(k+1) commit together")
    func combined() throws {
        let h = try ReplyHarness()
        let yamada = try h.user("yamada", name: "山田")
        let first = try Self.queued(h, actor: yamada, messageID: "a@example.jp").reply
        let second = try Self.queued(h, actor: yamada, messageID: "b@example.jp").reply
        let due = Self.now + 60
        #expect(
            try h.write { tx in try h.outbox.due(now: due, limit: 10, in: tx) }.map(\.replyID) == [first.id, second.id])
        try h.write { tx in
            try h.outbox.begin(reply: first.id, now: due, in: tx)
            try h.outbox.begin(reply: second.id, now: due, in: tx)
            try h.outbox.attempting(reply: first.id, now: due, in: tx)
        }
        try h.write { tx in
            try h.outbox.sent(reply: first.id, relayAnswer: "250 ok", now: due, in: tx)
            try h.outbox.attempting(reply: second.id, now: due, in: tx)
        }
        try h.write { tx in try h.outbox.sent(reply: second.id, relayAnswer: "250 ok", now: due, in: tx) }
        #expect(try h.filing.count("SELECT count(*) FROM replies WHERE state = 'sent'") == 2)
        #expect(try h.filing.count("SELECT count(*) FROM messages WHERE direction = 'out'") == 2)
    }

    @Test("reconcile: no attempt recorded → queued again; attempt recorded → unconfirmed, never resent")
    func reconcile() throws {
        let h = try ReplyHarness()
        let yamada = try h.user("yamada", name: "山田")
        let (inquiry, _, before) = try Self.queued(h, actor: yamada, messageID: "c@example.jp")
        let after = try Self.queued(h, actor: yamada, messageID: "d@example.jp").reply
        let due = Self.now + 60
        try h.write { tx in
            try h.outbox.begin(reply: before.id, now: due, in: tx)
            try h.outbox.begin(reply: after.id, now: due, in: tx)
            try h.outbox.attempting(reply: after.id, now: due, in: tx)
        }
        // The run is killed here; the next one reconciles.
        let result = try h.write { tx in try h.outbox.reconcile(now: due + 60, in: tx) }
        #expect(result.requeued == [before.id] && result.unconfirmed == [after.id])
        #expect(try h.write { tx in try h.outbox.due(now: due + 60, limit: 10, in: tx) }.map(\.replyID) == [before.id])
        #expect(try h.write { tx in try h.replies.reply(after.id, actor: yamada, in: tx) }.state == .unconfirmed)
        #expect(try h.events(inquiry) == ["reply-queued"])
        #expect(try h.auditActions().suffix(1) == ["reply-unconfirmed"])

        // An operator marks it as sent (author with reply, or approve); another operator may not.
        let suzuki = try h.user("suzuki", name: "鈴木")
        #expect(throws: ReplyError.notAuthor) {
            try h.write { tx in try h.outbox.markSent(reply: after.id, actor: suzuki, now: due + 120, in: tx) }
        }
        try h.write { tx in try h.outbox.markSent(reply: after.id, actor: yamada, now: due + 120, in: tx) }
        #expect(try h.write { tx in try h.replies.reply(after.id, actor: yamada, in: tx) }.state == .sent)
        #expect(throws: ReplyError.wrongState(.sent, action: "resent")) {
            try h.write { tx in try h.outbox.resend(reply: after.id, actor: yamada, now: due + 130, in: tx) }
        }
    }

    @Test("4xx retries back off 1, 2, 4 … minutes up to an hour; after send_queue_lifetime the reply fails")
    func retries() throws {
        #expect((1...8).map { Outbox.backoff(attempts: $0) } == [60, 120, 240, 480, 960, 1920, 3600, 3600])
        let h = try ReplyHarness(configuration: Replies.Configuration(queueLifetime: 3600))
        let yamada = try h.user("yamada", name: "山田")
        let (inquiry, _, reply) = try Self.queued(h, actor: yamada)
        var clock = Self.now + 60
        try h.write { tx in try h.outbox.begin(reply: reply.id, now: clock, in: tx) }
        #expect(
            try h.write { tx in
                try h.outbox.retry(reply: reply.id, error: "451 4.3.0 <taro@example.jp> try later", now: clock, in: tx)
            } == .queued)
        let waiting = try h.write { tx in try h.replies.reply(reply.id, actor: yamada, in: tx) }
        #expect(waiting.state == .queued && waiting.attempts == 1 && waiting.nextAttemptAt == clock + 60)
        #expect(waiting.lastError?.contains("taro@example.jp") == false)
        #expect(try h.write { tx in try h.outbox.due(now: clock + 59, limit: 10, in: tx) }.isEmpty)
        clock += 60
        #expect(try h.write { tx in try h.outbox.due(now: clock, limit: 10, in: tx) }.count == 1)
        clock = Self.now + 3600
        try h.write { tx in try h.outbox.begin(reply: reply.id, now: clock, in: tx) }
        #expect(
            try h.write { tx in try h.outbox.retry(reply: reply.id, error: "connection refused", now: clock, in: tx) }
                == .failed)
        let failed = try h.write { tx in try h.replies.reply(reply.id, actor: yamada, in: tx) }
        #expect(failed.state == .failed && failed.lastError == "gave up after 2 attempts: connection refused")
        #expect(try h.status(inquiry) == "in_progress")
        #expect(try h.events(inquiry) == ["reply-queued", "reply-retry", "reply-failed"])
    }

    @Test("5xx fails the reply with the answer, the address replaced by the pseudonym; resend queues it again")
    func refused() throws {
        let h = try ReplyHarness()
        let yamada = try h.user("yamada", name: "山田")
        let (inquiry, _, reply) = try Self.queued(h, actor: yamada)
        try h.write { tx in try h.outbox.begin(reply: reply.id, now: Self.now + 60, in: tx) }
        try h.write { tx in
            try h.outbox.failed(
                reply: reply.id, relayAnswer: "550 5.1.1 <TARO@example.jp>: Recipient address rejected",
                now: Self.now + 61, in: tx)
        }
        let failed = try h.write { tx in try h.replies.reply(reply.id, actor: yamada, in: tx) }
        let pseudonym = try h.database.read {
            try $0.rows("SELECT pseudonym FROM customers").first?.string("pseudonym")
        }
        #expect(failed.state == .failed)
        #expect(failed.lastError == "550 5.1.1 <\(pseudonym ?? "")>: Recipient address rejected")
        #expect(try h.status(inquiry) == "in_progress")
        try h.write { tx in try h.outbox.resend(reply: reply.id, actor: yamada, now: Self.now + 100, in: tx) }
        let again = try h.write { tx in try h.replies.reply(reply.id, actor: yamada, in: tx) }
        #expect(again.state == .queued && again.sendAfter == Self.now + 160 && again.messageID == reply.messageID)
        #expect(try h.auditActions().suffix(2) == ["reply-failed", "reply-resend"])
    }
}
