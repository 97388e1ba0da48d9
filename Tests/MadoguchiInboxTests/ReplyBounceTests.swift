// Bounces of our replies: a Postfix DSN (multipart/report with text/rfc822-headers or
// message/rfc822) or a plain MAILER-DAEMON text quoting our Message-ID attaches to the
// inquiry of the reply it returns, flagged bounce, and marks that reply failed with a
// short reason (the address replaced by the pseudonym). A forged Message-ID attaches
// nothing.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct ReplyBounceTests {
    /// A reply sent to taro@example.jp; returns the inquiry and the reply's Message-ID.
    static func sentReply(_ h: ReplyHarness) throws -> (inquiry: Int64, reply: Int64, messageID: String) {
        let yamada = try h.user("yamada", name: "山田")
        let (inquiry, _, reply) = try OutboxTests.queued(h, actor: yamada)
        let due = OutboxTests.now + 60
        try h.write { tx in
            try h.outbox.begin(reply: reply.id, now: due, in: tx)
            try h.outbox.attempting(reply: reply.id, now: due, in: tx)
            try h.outbox.sent(reply: reply.id, relayAnswer: "250 2.0.0 Ok", now: due, in: tx)
        }
        return (inquiry, reply.id, try #require(reply.messageID))
    }

    /// A bounce as Postfix's bounce(8) writes it; `returned` is the content type of the
    /// third part (`text/rfc822-headers` or `message/rfc822`).
    static func postfixBounce(messageID: String, returned: String = "text/rfc822-headers") -> [UInt8] {
        let boundary = "4ABC123.1796183100/mail.example.com"
        let text = """
            Return-Path: <>
            Received: by mail.example.com (Postfix) id 4ABC123; Wed,  2 Dec 2026 10:45:00 +0900 (JST)
            Date: Wed,  2 Dec 2026 10:45:00 +0900 (JST)
            From: MAILER-DAEMON@mail.example.com (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender
            To: support@example.com
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status;
            \tboundary="\(boundary)"
            Content-Transfer-Encoding: 8bit
            Message-Id: <20261202014500.4ABC123@mail.example.com>

            This is a MIME-encapsulated message.

            --\(boundary)
            Content-Description: Notification
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            This is the mail system at host mail.example.com.

            I'm sorry to have to inform you that your message could not
            be delivered to one or more recipients. It's attached below.

                               The mail system

            <taro@example.jp>: host mx.example.jp[192.0.2.25] said: 550 5.1.1
                <taro@example.jp>: Recipient address rejected: User unknown in local
                recipient table (in reply to RCPT TO command)

            --\(boundary)
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.example.com
            X-Postfix-Queue-ID: 4ABC123
            X-Postfix-Sender: rfc822; support@example.com
            Arrival-Date: Wed,  2 Dec 2026 10:44:58 +0900 (JST)

            Final-Recipient: rfc822; taro@example.jp
            Original-Recipient: rfc822;taro@example.jp
            Action: failed
            Status: 5.1.1
            Remote-MTA: dns; mx.example.jp
            Diagnostic-Code: smtp; 550 5.1.1 <taro@example.jp>: Recipient address
                rejected: User unknown in local recipient table

            --\(boundary)
            Content-Description: Undelivered Message\(returned == "message/rfc822" ? "" : " Headers")
            Content-Type: \(returned)
            Content-Transfer-Encoding: 8bit

            Return-Path: <support@example.com>
            Received: from localhost (localhost [127.0.0.1])
            \tby mail.example.com (Postfix) with ESMTP id 4ABC123
            \tfor <taro@example.jp>; Wed,  2 Dec 2026 10:44:58 +0900 (JST)
            From: =?UTF-8?B?44K144Od44O844OI56qT5Y+j?= <support@example.com>
            To: taro@example.jp
            Subject: =?UTF-8?B?UmU6IOiri+axguabuOOBq+OBpOOBhOOBpg==?=
            Message-ID: \(messageID)
            In-Reply-To: <first@example.jp>
            Date: Wed, 02 Dec 2026 10:44:58 +0900
            MIME-Version: 1.0
            Content-Type: text/plain; charset=UTF-8
            \(returned == "message/rfc822" ? "\nお見積りを添付します。\n" : "")
            --\(boundary)--

            """
        return Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    static func pseudonym(_ h: ReplyHarness) throws -> String {
        try h.database.read {
            try $0.rows("SELECT pseudonym FROM customers ORDER BY id LIMIT 1").first?.string("pseudonym") ?? ""
        }
    }

    @Test(
        "a Postfix DSN attaches to the reply's inquiry and fails the reply",
        arguments: ["text/rfc822-headers", "message/rfc822"])
    func postfixDSN(returned: String) throws {
        let h = try ReplyHarness()
        let (inquiry, reply, messageID) = try Self.sentReply(h)
        let bounce = try h.filing.filed(Self.postfixBounce(messageID: messageID, returned: returned))
        #expect(bounce.inquiry == inquiry)
        #expect(try h.filing.flags(bounce.message).contains(.bounce))
        let state = try h.database.read { tx in
            try tx.rows("SELECT state FROM replies WHERE id = ?", [.integer(reply)]).first?.string("state")
        }
        #expect(state == "failed")
        let failed = try h.write { tx in
            try h.replies.reply(
                reply,
                actor: AnsweringActor(
                    userID: 1, displayName: "t", role: Role(name: "reader", permissions: [.readMail]),
                    audit: AccessActor(actor: "t")), in: tx)
        }
        let expected = "bounced: 5.1.1 smtp; 550 5.1.1 <\(try Self.pseudonym(h))>: Recipient address"
        #expect(failed.lastError == expected)
        #expect(try h.status(inquiry) == "in_progress")
        #expect(try h.events(inquiry).suffix(1) == ["reply-failed"])
        #expect(try h.auditActions().suffix(1) == ["reply-failed"])
    }

    @Test("a plain MAILER-DAEMON text quoting our Message-ID attaches too")
    func plainBounce() throws {
        let h = try ReplyHarness()
        let (inquiry, reply, messageID) = try Self.sentReply(h)
        let text = """
            From: MAILER-DAEMON@mx.example.jp
            To: support@example.com
            Subject: failure notice
            Message-ID: <plain-bounce@mx.example.jp>

            Sorry, we were unable to deliver your message to the following address.

            <taro@example.jp>:
            550: No such user

            --- Below this line is a copy of the message.

            Message-ID: \(messageID)
            Subject: Re: 請求書について

            """
        let bounce = try h.filing.filed(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        #expect(bounce.inquiry == inquiry)
        let reason = try h.database.read { tx -> String? in
            let row = try tx.fetch("replies", id: reply, columns: ["last_error_enc", "state"])
            #expect(row?.string("state") == "failed")
            return row?.string("last_error_enc")
        }
        #expect(reason == "bounced: failure notice")
    }

    @Test("a bounce naming a forged Message-ID starts a new inquiry with a claim; the reply stays sent")
    func forged() throws {
        let h = try ReplyHarness()
        let (inquiry, reply, messageID) = try Self.sentReply(h)
        // Same format and inquiry, one code character changed.
        var characters = Array(messageID)
        let index = messageID.distance(from: messageID.startIndex, to: messageID.range(of: ".\(inquiry).")!.upperBound)
        characters[index] = characters[index] == "A" ? "B" : "A"
        let bounce = try h.filing.filed(Self.postfixBounce(messageID: String(characters)))
        #expect(bounce.inquiry != inquiry)
        #expect(try h.filing.claim(bounce.inquiry) == inquiry)
        let state = try h.database.read { tx in
            try tx.rows("SELECT state FROM replies WHERE id = ?", [.integer(reply)]).first?.string("state")
        }
        #expect(state == "sent")
    }
}
