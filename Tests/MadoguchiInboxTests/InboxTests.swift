// Inbox: keyset paging newest first (ties on the time broken by id, nothing skipped
// or repeated), the filters by status, assignee and mailbox, the trash kept out by
// default, customer names only when revealed, and the sidebar counts.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct InboxTests {
    /// Seven inquiries from seven senders, the last three filed at the same time.
    static func seven() throws -> (FilerHarness, [Int64]) {
        let h = try FilerHarness()
        var ids: [Int64] = []
        for number in 1...7 {
            if number > 5 { h.clock -= 60 }
            let mail = FilerHarness.mail(from: "Sender \(number) <s\(number)@example.jp>", subject: "件名 \(number)")
            ids.append(try h.filed(mail, mailbox: number % 2 == 0 ? "sales" : "support").inquiry)
        }
        return (h, ids)
    }

    @Test("pages of three walk all seven inquiries newest first, ties by id, nothing skipped or repeated")
    func paging() throws {
        let (h, ids) = try Self.seven()
        var seen: [Int64] = []
        var cursor: InboxCursor?
        var pages = 0
        repeat {
            let page = try h.database.read {
                try Inbox.page(InboxFilter(), after: cursor, limit: 3, revealCustomers: false, in: $0)
            }
            seen += page.entries.map(\.id)
            cursor = page.next
            pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == ids.reversed())
        #expect(InboxCursor("1780000420-7") == InboxCursor(lastMessageAt: 1_780_000_420, id: 7))
        for bad in ["", "1-", "-1", "1-0", "x-1", "1-2-3", "+1-2", "99999999999999999999-1"] {
            #expect(InboxCursor(bad) == nil, "\(bad)")
        }
    }

    @Test("filters: status, trash only when asked, assignee me and unassigned, mailbox; unknown status refused")
    func filters() throws {
        let (h, ids) = try Self.seven()
        try h.database.write { tx in
            var user = RowValues()
            for (column, text) in [("login", "sato"), ("display_name", "佐藤 一郎"), ("password_hash", "x")] {
                user.set(column, .text(text))
            }
            user.set("role", .text("operator"))
            for column in ["created_at", "password_changed_at"] { user.set(column, .int(0)) }
            try tx.insert(into: "users", user)
            try tx.run("UPDATE inquiries SET status = 'trash' WHERE id = ?", [.integer(ids[0])])
            try tx.run("UPDATE inquiries SET status = 'in_progress', assignee_id = 1 WHERE id = ?", [.integer(ids[1])])
        }
        func listed(_ filter: InboxFilter) throws -> [Int64] {
            try h.database.read { try Inbox.page(filter, revealCustomers: false, in: $0).entries.map(\.id) }
        }
        #expect(try listed(InboxFilter()) == ids[1...].reversed())
        #expect(try listed(InboxFilter(status: "trash")) == [ids[0]])
        #expect(try listed(InboxFilter(status: "in_progress")) == [ids[1]])
        #expect(try listed(InboxFilter(assignee: .user(1))) == [ids[1]])
        #expect(try listed(InboxFilter(assignee: .unassigned)) == ids[2...].reversed())
        let sales = try h.database.read { try InquirySummary.mailboxID(named: "sales", in: $0) }
        #expect(try listed(InboxFilter(mailboxID: sales)) == [ids[5], ids[3], ids[1]])
        #expect(try listed(InboxFilter(inquiryIDs: [ids[2], ids[4]])) == [ids[4], ids[2]])
        #expect(try listed(InboxFilter(inquiryIDs: [])) == [])
        let assigned = try h.database.read {
            try Inbox.page(InboxFilter(status: "in_progress"), revealCustomers: false, in: $0).entries
        }
        #expect(assigned.first?.assignee == "佐藤 一郎" && assigned.first?.assigneeID == 1)
        #expect(throws: InquiryError.unknownStatus("open")) {
            _ = try h.database.read { try Inbox.page(InboxFilter(status: "open"), revealCustomers: false, in: $0) }
        }

        let counts = try h.database.read { try Inbox.counts(in: $0) }
        #expect(counts.byStatus == ["new": 5, "in_progress": 1, "awaiting_approval": 0, "done": 0, "trash": 1])
        #expect(counts.mailboxes.map(\.name) == ["sales", "support"])
        #expect(counts.mailboxes.map(\.count) == [3, 3])
    }

    @Test("customer name and address only when revealed; the pseudonym always")
    func reveal() throws {
        let h = try FilerHarness()
        _ = try h.filed(FilerHarness.mail(from: "山田 太郎 <taro@example.jp>"))
        let hidden = try #require(
            try h.database.read { try Inbox.page(InboxFilter(), revealCustomers: false, in: $0).entries.first })
        #expect(hidden.customerName == nil && hidden.customerAddress == nil)
        #expect(hidden.customerPseudonym?.isEmpty == false)
        #expect(hidden.subject == "請求書について" && hidden.status == "new" && hidden.mailbox == "support")
        let shown = try #require(
            try h.database.read { try Inbox.page(InboxFilter(), revealCustomers: true, in: $0).entries.first })
        #expect(shown.customerName == "山田 太郎" && shown.customerAddress == "taro@example.jp")
        #expect(shown.customerPseudonym == hidden.customerPseudonym)
    }

    @Test("the trigger-kept counts equal a full count after inserts, status and mailbox changes and deletes")
    func countsMatch() throws {
        let (h, ids) = try Self.seven()
        try h.database.write { tx in
            try tx.run("UPDATE inquiries SET status = 'done' WHERE id IN (?, ?)", [.integer(ids[0]), .integer(ids[1])])
            try tx.run("UPDATE inquiries SET status = 'done' WHERE id = ?", [.integer(ids[1])])
            try tx.run("UPDATE inquiries SET mailbox_id = 1 WHERE id = ?", [.integer(ids[3])])
            try tx.run("DELETE FROM messages WHERE inquiry_id = ?", [.integer(ids[6])])
            try tx.run("DELETE FROM inquiries WHERE id = ?", [.integer(ids[6])])
        }
        let (kept, full) = try h.database.read { tx in
            (
                try tx.rows("SELECT mailbox_id, status, n FROM inquiry_counts WHERE n > 0 ORDER BY 1, 2"),
                try tx.rows("SELECT mailbox_id, status, count(*) AS n FROM inquiries GROUP BY 1, 2 ORDER BY 1, 2")
            )
        }
        func text(_ rows: [Row]) -> [String] {
            rows.map { "\($0.int64("mailbox_id") ?? -1) \($0.string("status") ?? "") \($0.int64("n") ?? -1)" }
        }
        #expect(text(kept) == text(full))
        #expect(try h.database.read { try Inbox.counts(in: $0) }.byStatus["done"] == 2)
    }

    @Test("unread for a viewer until they open the inquiry, and again when the customer writes after that")
    func unread() throws {
        let h = try FilerHarness()
        try h.database.write { tx in
            var user = RowValues()
            for (column, text) in [
                ("login", "sato"), ("display_name", "佐藤"), ("password_hash", "x"), ("role", "operator"),
            ] {
                user.set(column, .text(text))
            }
            for column in ["created_at", "password_changed_at"] { user.set(column, .int(0)) }
            try tx.insert(into: "users", user)
        }
        let first = try h.filed(FilerHarness.mail(messageID: "u1@example.jp"))
        let other = try h.filed(FilerHarness.mail(from: "hanako@example.jp", subject: "別件"))
        func marks(_ viewer: Int64?) throws -> [Int64: Bool] {
            let entries = try h.database.read {
                try Inbox.page(InboxFilter(), revealCustomers: false, viewer: viewer, in: $0)
            }
            return Dictionary(uniqueKeysWithValues: entries.entries.map { ($0.id, $0.unread) })
        }
        #expect(try marks(1) == [first.inquiry: true, other.inquiry: true])
        #expect(try marks(nil) == [first.inquiry: false, other.inquiry: false])
        let actor = AccessActor(actor: "sato")
        _ = try InquiryView.thread(
            first.inquiry, revealCustomers: false, viewer: 1, actor: actor, in: h.database,
            now: Date(timeIntervalSince1970: Double(h.clock)))
        #expect(try marks(1) == [first.inquiry: false, other.inquiry: true])
        // The customer answers after the view.
        _ = try h.filed(FilerHarness.mail(subject: "Re: 請求書について", inReplyTo: "u1@example.jp"))
        #expect(try marks(1)[first.inquiry] == true)
    }
}
