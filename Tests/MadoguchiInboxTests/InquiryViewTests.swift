// InquiryView: the thread oldest first with flags and attachment metadata, addresses
// only when revealed, the customer's other inquiries beside it, the audited reads
// (thread, attachment, HTML part) with their entries in the chain, and the same
// not-found answer for every missing id.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct InquiryViewTests {
    static let actor = AccessActor(actor: "yamada", sessionRef: "0123abcd", sourceIP: "192.168.1.24")

    static func multipart(messageID: String, inReplyTo: String? = nil) -> [UInt8] {
        var lines = [
            "From: 山田 太郎 <taro@example.jp>", "To: support@example.com", "Cc: Hanako <hanako@example.jp>",
            "Reply-To: other@example.net", "Subject: 見積書", "Message-ID: <\(messageID)>",
        ]
        if let inReplyTo { lines.append("In-Reply-To: <\(inReplyTo)>") }
        lines += [
            "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"b1\"", "", "--b1",
            "Content-Type: multipart/alternative; boundary=\"b2\"", "", "--b2",
            "Content-Type: text/plain; charset=UTF-8", "", "見積書を添付します。", "--b2",
            "Content-Type: text/html; charset=UTF-8", "", "<p>見積書を<b>添付</b>します。<img src=\"http://x.test/t.gif\"></p>",
            "--b2--", "--b1", "Content-Type: application/pdf; name=\"見積書.pdf\"",
            "Content-Disposition: attachment; filename=\"mitsumori.pdf\"", "Content-Transfer-Encoding: base64", "",
            "JVBERi0xLjQK", "--b1--", "",
        ]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    static func audit(_ h: FilerHarness) throws -> [String] {
        let columns = ["actor", "session_ref", "src_ip", "action", "target", "detail"]
        return try h.database.read { tx in
            try tx.rows("SELECT \(columns.joined(separator: ", ")) FROM audit ORDER BY seq").map { row in
                columns.map { row.string($0) ?? "-" }.joined(separator: " ")
            }
        }
    }

    @Test("thread oldest first with flags and attachments; addresses only when revealed; audited")
    func thread() throws {
        let h = try FilerHarness()
        let first = try h.filed(Self.multipart(messageID: "m1@example.jp"))
        let reply = try h.filed(Self.multipart(messageID: "m2@example.jp", inReplyTo: "m1@example.jp"))
        #expect(reply.inquiry == first.inquiry)
        let other = try h.filed(FilerHarness.mail(subject: "別件"))

        let hidden = try InquiryView.thread(first.inquiry, revealCustomers: false, actor: Self.actor, in: h.database)
        #expect(hidden.messages.map(\.id) == [first.message, reply.message])
        let message = try #require(hidden.messages.first)
        #expect(message.direction == "in" && message.subject == "見積書" && message.fromName == "山田 太郎")
        #expect(message.fromAddress == nil && message.to.isEmpty && message.cc.isEmpty && message.replyTo.isEmpty)
        #expect(message.text?.contains("見積書を添付します。") == true && message.hasHTML)
        #expect(message.flags.contains(.replyToDiffers))
        #expect(message.attachments.map(\.filename) == ["mitsumori.pdf"])
        #expect(message.attachments.first?.contentType == "application/pdf" && message.attachments.first?.size == 9)
        #expect(hidden.inquiry.customerName == nil && hidden.inquiry.customerPseudonym != nil)
        #expect(hidden.related.map(\.id) == [other.inquiry])

        let shown = try InquiryView.thread(first.inquiry, revealCustomers: true, actor: Self.actor, in: h.database)
        let revealed = try #require(shown.messages.first)
        #expect(revealed.fromAddress == "taro@example.jp")
        #expect(revealed.cc.map(\.address) == ["hanako@example.jp"] && revealed.cc.first?.name == "Hanako")
        #expect(revealed.replyTo.map(\.address) == ["other@example.net"])
        #expect(
            try Self.audit(h) == [
                "yamada 0123abcd 192.168.1.24 inquiry-view inquiry:\(first.inquiry) -",
                "yamada 0123abcd 192.168.1.24 inquiry-view inquiry:\(first.inquiry) -",
            ])
        #expect(try h.database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
    }

    @Test("attachment bytes and the HTML part are audited reads; missing ids all answer not found")
    func downloads() throws {
        let h = try FilerHarness()
        let filed = try h.filed(Self.multipart(messageID: "d1@example.jp"))
        let thread = try InquiryView.thread(filed.inquiry, revealCustomers: false, actor: Self.actor, in: h.database)
        let attachment = try #require(thread.messages.first?.attachments.first)
        let download = try InquiryView.attachment(attachment.id, actor: Self.actor, in: h.database)
        #expect(download.filename == "mitsumori.pdf" && download.data == Array("%PDF-1.4\n".utf8))
        let html = try InquiryView.html(messageID: filed.message, actor: Self.actor, in: h.database) { html, _ in
            (html.uppercased(), blocked: 1)
        }
        #expect(html.contains("<P>見積書を<B>添付</B>します。"))
        let entries = try Self.audit(h)
        #expect(entries.count == 3)
        #expect(
            entries[1] == #"yamada 0123abcd 192.168.1.24 attachment-download attachment:\#(attachment.id) {"bytes":9}"#)
        #expect(entries[2] == #"yamada 0123abcd 192.168.1.24 html-view message:\#(filed.message) {"remote_blocked":1}"#)

        #expect(throws: InquiryError.notFound("inquiry 999")) {
            _ = try InquiryView.thread(999, revealCustomers: false, actor: Self.actor, in: h.database)
        }
        #expect(throws: InquiryError.notFound("attachment 999")) {
            _ = try InquiryView.attachment(999, actor: Self.actor, in: h.database)
        }
        let plain = try h.filed(FilerHarness.mail(subject: "text only"))
        #expect(throws: InquiryError.notFound("message \(plain.message)")) {
            _ = try InquiryView.html(messageID: plain.message, actor: Self.actor, in: h.database) { html, _ in
                (html, blocked: 0)
            }
        }
        // Nothing read, nothing audited.
        #expect(try Self.audit(h).count == 3)
    }

    @Test("the HTML part gets its own message's cid: images by Content-ID; other types and missing ids do not")
    func inlineImages() throws {
        let h = try FilerHarness()
        let lines = [
            "From: taro@example.jp", "To: support@example.com", "Subject: logo", "Message-ID: <cid1@example.jp>",
            "MIME-Version: 1.0", "Content-Type: multipart/related; boundary=\"r\"", "", "--r",
            "Content-Type: text/html; charset=UTF-8", "", "<p><img src=\"cid:logo@example.jp\"></p>", "--r",
            "Content-Type: image/png", "Content-ID: <logo@example.jp>", "Content-Transfer-Encoding: base64", "",
            "iVBORw0KGgo=", "--r", "Content-Type: application/x-msdownload", "Content-ID: <tool@example.jp>",
            "Content-Transfer-Encoding: base64", "", "TVqQAA==", "--r--", "",
        ]
        let filed = try h.filed(Array(lines.joined(separator: "\r\n").utf8))
        let seen = try InquiryView.html(messageID: filed.message, actor: Self.actor, in: h.database) { _, inline in
            (inline, blocked: 0)
        }
        #expect(Array(seen.keys) == ["logo@example.jp"])
        #expect(seen["logo@example.jp"]?.contentType == "image/png")
        #expect(seen["logo@example.jp"]?.data == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(MailAttachment.contentID(Array("  <a@b>\r\n".utf8)) == "a@b")
        #expect(MailAttachment.contentID(Array("<a b>".utf8)) == nil && MailAttachment.contentID([]) == nil)
    }

    @Test(
        "views from many connections at once: one audit row each, the chain intact, every view recorded",
        .blocksThreads, .timeLimit(.minutes(1)))
    func concurrentViewsGroupCommit() throws {
        let h = try FilerHarness()
        let inquiry = try h.filed(Self.multipart(messageID: "c1@example.jp")).inquiry
        let viewers: [Int64] = try h.database.write { tx in
            try (1...12).map { n in
                var user = RowValues()
                user.set("login", .text("op\(n)"))
                user.set("display_name", .text("Operator \(n)"))
                user.set("role", .text("operator"))
                user.set("password_hash", .text("x"))
                user.set("created_at", .integer(0))
                user.set("password_changed_at", .integer(0))
                return try tx.insert(into: "users", user)
            }
        }
        let gate = WriteGate()
        let group = CommitGroup()
        nonisolated(unsafe) let databases = try viewers.map { _ in
            let database = Database(connection: try Connection(path: h.temp.path), cipher: h.keys.fieldCipher)
            database.writeGate = gate
            database.commitGroup = group
            return database
        }
        let done = DispatchGroup()
        let lock = NSLock()
        nonisolated(unsafe) var shown = 0
        for (index, viewer) in viewers.enumerated() {
            done.enter()
            Thread {
                let database = databases[index]
                let actor = AccessActor(actor: "op\(viewer)", sessionRef: "s\(viewer)", sourceIP: "192.168.1.5")
                if let thread = try? InquiryView.thread(
                    inquiry, revealCustomers: true, viewer: viewer, actor: actor, in: database)
                {
                    lock.withLock { shown += thread.messages.count }
                }
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(shown == viewers.count)
        #expect(try h.count("SELECT count(*) FROM audit WHERE action = 'inquiry-view'") == Int64(viewers.count))
        #expect(try h.count("SELECT count(DISTINCT actor) FROM audit WHERE action = 'inquiry-view'") == 12)
        #expect(try h.count("SELECT count(*) FROM inquiry_views WHERE inquiry_id = ?", [.integer(inquiry)]) == 12)
        #expect(try h.database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
        #expect(group.transactions <= UInt64(viewers.count))
    }
}
