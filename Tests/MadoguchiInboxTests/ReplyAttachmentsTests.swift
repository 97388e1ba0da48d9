// ReplyAttachments: a file is stored only after the scanner called it clean — FOUND or
// an unreachable scanner refuses it (C5); the size limits per file and per reply; safe
// names (`..\x.exe`, bidi overrides) and content types; only the draft's author
// attaches or removes; the files travel with the outbox item and into the sent message.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct ReplyAttachmentsTests {
    static func clean(_ bytes: [UInt8]) throws -> ScanVerdict { .clean }

    @Test("safe file names and content types")
    func names() {
        #expect(AttachmentName.sanitized("..\\x.exe") == "x.exe")
        #expect(AttachmentName.sanitized("../../etc/passwd") == "passwd")
        #expect(AttachmentName.sanitized("invoice\u{202E}fdp.exe") == "invoicefdp.exe")
        #expect(AttachmentName.sanitized("a\r\nb\0c.txt") == "abc.txt")
        #expect(
            AttachmentName.sanitized(" .. ") == "attachment.bin"
                && AttachmentName.sanitized(nil) == "attachment.bin")
        #expect(AttachmentName.sanitized("見積書.pdf") == "見積書.pdf")
        #expect(ReplyAttachments.safeContentType("Application/PDF; name=x") == "application/pdf")
        #expect(ReplyAttachments.safeContentType("text/html\r\nBcc: x") == "application/octet-stream")
        #expect(ReplyAttachments.safeContentType("nonsense") == "application/octet-stream")
        #expect(ReplyAttachments.safeContentType(nil) == "application/octet-stream")
    }

    @Test("clean files are stored; FOUND and an unreachable scanner refuse; limits; only the author")
    func scanned() throws {
        let h = try ReplyHarness(configuration: Replies.Configuration(attachmentMax: 10, attachmentTotalMax: 15))
        let yamada = try h.user("yamada", name: "山田")
        let suzuki = try h.user("suzuki", name: "鈴木")
        let (_, _, queued) = try OutboxTests.queued(h, actor: yamada)
        // Back to a draft to attach.
        try h.write { tx in try h.replies.cancel(reply: queued.id, actor: yamada, now: OutboxTests.now + 1, in: tx) }
        func add(
            _ name: String, _ data: [UInt8], actor: AnsweringActor? = nil,
            scanner: @escaping ([UInt8]) throws -> ScanVerdict = Self.clean
        ) throws -> ReplyAttachments.Info {
            try ReplyAttachments.add(
                to: queued.id, filename: name, contentType: "application/x-msdownload", data: data, replies: h.replies,
                actor: actor ?? yamada, scanner: scanner, in: h.database, now: OutboxTests.now)
        }
        var scanned = 0
        let info = try add("..\\x.exe", Array("MZ-bytes".utf8)) { _ in
            scanned += 1
            return .clean
        }
        #expect(scanned == 1 && info.filename == "x.exe" && info.contentType == "application/x-msdownload")
        #expect(throws: ReplyError.attachmentInfected(signature: "Win.Test.EICAR_HDB-1")) {
            try add("eicar.com", Array("X5O!".utf8)) { _ in .infected(signature: "Win.Test.EICAR_HDB-1") }
        }
        #expect(throws: ReplyError.scannerUnavailable(.network(.connectFailed(address: "clamd", code: 111)))) {
            try add("a.txt", Array("a".utf8)) { _ in
                throw ScanError.network(.connectFailed(address: "clamd", code: 111))
            }
        }
        #expect(throws: ReplyError.attachmentTooLarge(limit: 10)) { try add("big", Array(repeating: 0, count: 11)) }
        #expect(throws: ReplyError.attachmentsTooLarge(limit: 15)) { try add("more", Array(repeating: 0, count: 8)) }
        #expect(throws: InquiryError.notFound("reply \(queued.id)")) { try add("s", [1], actor: suzuki) }
        // A refused file never reaches the scanner when the draft itself refuses it.
        var called = false
        #expect(throws: ReplyError.attachmentTooLarge(limit: 10)) {
            try add("big", Array(repeating: 0, count: 11)) { _ in
                called = true
                return .clean
            }
        }
        #expect(!called)
        #expect(try h.database.read { try ReplyAttachments.list(of: queued.id, in: $0) } == [info])

        // The outbox item and the sent message carry it.
        try h.write { tx in try h.replies.send(draft: queued.id, actor: yamada, now: OutboxTests.now + 10, in: tx) }
        let due = OutboxTests.now + 70
        let item = try #require(try h.write { tx in try h.outbox.due(now: due, limit: 1, in: tx) }.first)
        #expect(
            item.attachments == [
                MailAttachment(filename: "x.exe", contentType: "application/x-msdownload", data: Array("MZ-bytes".utf8))
            ])
        try h.write { tx in
            try h.outbox.begin(reply: queued.id, now: due, in: tx)
            try h.outbox.attempting(reply: queued.id, now: due, in: tx)
            try h.outbox.sent(reply: queued.id, relayAnswer: "250 ok", now: due, in: tx)
        }
        let thread = try InquiryView.thread(
            queued.inquiryID, revealCustomers: false, actor: yamada.audit, in: h.database)
        #expect(thread.messages.last?.attachments.map(\.filename) == ["x.exe"])
    }

    @Test("remove takes a file off the draft")
    func remove() throws {
        let h = try ReplyHarness()
        let yamada = try h.user("yamada", name: "山田")
        let (_, _, queued) = try OutboxTests.queued(h, actor: yamada)
        try h.write { tx in try h.replies.cancel(reply: queued.id, actor: yamada, now: OutboxTests.now + 1, in: tx) }
        let info = try ReplyAttachments.add(
            to: queued.id, filename: "a.pdf", contentType: "application/pdf", data: [1, 2, 3], replies: h.replies,
            actor: yamada, scanner: Self.clean, in: h.database, now: OutboxTests.now)
        try h.write { tx in
            try ReplyAttachments.remove(info.id, from: queued.id, replies: h.replies, actor: yamada, now: 1, in: tx)
        }
        #expect(try h.database.read { try ReplyAttachments.list(of: queued.id, in: $0) }.isEmpty)
    }
}
