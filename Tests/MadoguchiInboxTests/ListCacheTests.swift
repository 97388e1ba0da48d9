// ListCache and the list stamp (migrations 10 and 11): a repeated inbox or search page,
// or inquiry thread, comes from the cache only while the stamp stands; a change to any
// table such a page is made of moves the stamp (so the next page is read again and
// shows the change); pages are kept per viewer and per address permission; a page
// computed at an older stamp is never stored over a newer one; a search or thread from
// the cache is still audited; the reply lock is read on every view; a byte budget
// bounds the text kept.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct ListCacheTests {
    static let now: Int64 = AdminCommandFixture.nine + 100_000

    static func stamp(_ fixture: AdminCommandFixture) throws -> Int64 {
        try fixture.instance.database.read { try ListCache.stamp(in: $0) }
    }

    static func inbox(_ fixture: AdminCommandFixture, cache: ListCache, viewer: Int64? = 1, reveal: Bool = false)
        throws -> [InboxEntry]
    {
        try fixture.instance.database.read {
            try Inbox.page(
                InboxFilter(), limit: 10, revealCustomers: reveal, viewer: viewer, cache: cache, now: now, in: $0
            ).entries
        }
    }

    /// Writes past the triggers' back: the row changes, the stamp is put back.
    static func changeBehindTheStamp(_ fixture: AdminCommandFixture, _ sql: String) throws {
        let before = try stamp(fixture)
        try fixture.instance.database.write { tx in
            try tx.run(sql)
            try tx.run("UPDATE list_stamp SET n = ? WHERE id = 1", [.integer(before)])
        }
    }

    @Test("a repeated inbox page comes from the cache while the stamp stands, and is read again once it moves")
    func inboxPage() throws {
        let fixture = try AdminCommandFixture()
        try InquirySearchTests.corpus(fixture, count: 30)
        let cache = ListCache()
        let first = try Self.inbox(fixture, cache: cache)
        #expect(cache.count == 1)
        // The row changes without the stamp: the cached page is what comes back.
        try Self.changeBehindTheStamp(fixture, "UPDATE inquiries SET status = 'done' WHERE id = \(first[0].id)")
        #expect(try Self.inbox(fixture, cache: cache) == first)
        // A change through the triggers moves the stamp: the page is read again.
        try fixture.instance.database.write { tx in
            try tx.run("UPDATE inquiries SET status = 'in_progress' WHERE id = ?", [.integer(first[0].id)])
        }
        let again = try Self.inbox(fixture, cache: cache)
        #expect(again[0].id == first[0].id)
        #expect(again[0].status == "in_progress")
        // Without a cache every page is read.
        #expect(
            try fixture.instance.database.read {
                try Inbox.page(InboxFilter(), limit: 10, revealCustomers: false, viewer: 1, in: $0).entries
            } == again)
    }

    @Test(
        "every table an inbox or search page is made of moves the stamp on insert, update and delete",
        arguments: [
            "UPDATE inquiries SET flags = flags WHERE id = (SELECT min(id) FROM inquiries)",
            "UPDATE messages SET received_at = received_at WHERE id = (SELECT min(id) FROM messages)",
            "UPDATE customers SET pseudonym = pseudonym WHERE id = (SELECT min(id) FROM customers)",
            "UPDATE users SET display_name = '佐藤 次郎' WHERE login = 'sato'",
            "UPDATE mailboxes SET name = 'sales2' WHERE name = 'sales'",
            "INSERT INTO inquiry_views (user_id, inquiry_id, viewed_at) SELECT 1, min(id), 1 FROM inquiries",
            "DELETE FROM inquiry_views",
            "UPDATE inquiry_events SET at = at + 1",
            "DELETE FROM inquiry_events",
            "UPDATE attachments SET size = size WHERE id = (SELECT min(id) FROM attachments)",
        ])
    func stampMoves(sql: String) throws {
        let fixture = try AdminCommandFixture()
        try InquirySearchTests.corpus(fixture, count: 10)
        let filed = try fixture.file(subject: "添付あり", body: "見積書を添付します。")
        try Self.attachAndNote(fixture, filed)
        try fixture.instance.database.write { tx in
            try tx.run("INSERT INTO inquiry_views (user_id, inquiry_id, viewed_at) SELECT 1, max(id), 1 FROM inquiries")
        }
        #expect(try fixture.instance.database.read { try $0.rows("SELECT id FROM attachments").count } > 0)
        let before = try Self.stamp(fixture)
        try fixture.instance.database.write { try $0.run(sql) }
        #expect(try Self.stamp(fixture) > before)
    }

    /// Adds an attachment row to the filed message, then a note to its inquiry, each in a
    /// transaction of its own; `after` runs after each.
    static func attachAndNote(
        _ fixture: AdminCommandFixture, _ filed: FiledSample, after: () throws -> Void = {}
    ) throws {
        try fixture.instance.database.write { tx in
            var attachment = RowValues()
            attachment.set("message_id", .integer(filed.messageID))
            attachment.set("ordinal", 9)
            attachment.set("size", 4)
            attachment.seal("data_enc", "%PDF")
            try tx.insert(into: "attachments", attachment)
        }
        try after()
        try fixture.instance.database.write { tx in
            try InquiryEvents.append(.note, inquiry: filed.inquiryID, user: nil, text: "メモ", now: now, in: tx)
        }
        try after()
    }

    @Test("an attachment and a timeline event each move the stamp")
    func timelineMoves() throws {
        let fixture = try AdminCommandFixture()
        let filed = try fixture.file(subject: "添付あり", body: "見積書を添付します。")
        var before = try Self.stamp(fixture)
        try Self.attachAndNote(fixture, filed) {
            let after = try Self.stamp(fixture)
            #expect(after > before)
            before = after
        }
    }

    @Test("filing a message and an audit entry: the first moves the stamp, the second does not")
    func filingMoves() throws {
        let fixture = try AdminCommandFixture()
        let before = try Self.stamp(fixture)
        _ = try fixture.file(subject: "請求書の件", body: "請求書をお送りください。")
        let filed = try Self.stamp(fixture)
        #expect(filed > before)
        try fixture.instance.database.write { tx in
            try AuditLog.append(
                AccessActor(actor: "cli:tester").event(.search, target: nil, detail: "{}"), in: tx,
                now: Date(timeIntervalSince1970: Double(Self.now)))
        }
        #expect(try Self.stamp(fixture) == filed)
    }

    @Test("pages are kept per viewer and per address permission")
    func separated() throws {
        let fixture = try AdminCommandFixture()
        try InquirySearchTests.corpus(fixture, count: 10)
        let cache = ListCache()
        let hidden = try Self.inbox(fixture, cache: cache, viewer: 1, reveal: false)
        let shown = try Self.inbox(fixture, cache: cache, viewer: 1, reveal: true)
        let other = try Self.inbox(fixture, cache: cache, viewer: 2, reveal: false)
        #expect(cache.count == 3)
        #expect(hidden.allSatisfy { $0.customerAddress == nil })
        #expect(shown.contains { $0.customerAddress != nil })
        #expect(other.map(\.id) == hidden.map(\.id))
        // Viewer 1 has read the newest inquiry, viewer 2 has not: their pages differ.
        try fixture.instance.database.write { tx in
            try tx.run(
                "INSERT INTO inquiry_views (user_id, inquiry_id, viewed_at) VALUES (1, ?, ?)",
                [.integer(hidden[0].id), .integer(Self.now)])
        }
        #expect(try Self.inbox(fixture, cache: cache, viewer: 1)[0].unread == false)
        #expect(try Self.inbox(fixture, cache: cache, viewer: 2)[0].unread == true)
    }

    @Test("a search from the cache is audited every time, with the counts of the search that computed it")
    func searchAudited() throws {
        let fixture = try AdminCommandFixture()
        try InquirySearchTests.corpus(fixture, count: 40)
        let cache = ListCache()
        func search(_ text: String) throws -> InquirySearch.Page {
            try InquirySearch.page(
                text, filter: InboxFilter(), limit: 5, revealCustomers: false, viewer: 1, in: fixture.instance,
                candidateLimit: 2_000, actor: InquirySearchTests.actor, cache: cache,
                now: Date(timeIntervalSince1970: Double(Self.now)))
        }
        let audited = try fixture.audit().count
        let first = try search("請求書")
        #expect(!first.entries.isEmpty)
        // Behind the stamp's back, the first result leaves the trash filter: a cached page still shows it.
        try Self.changeBehindTheStamp(
            fixture, "UPDATE inquiries SET status = 'trash' WHERE id = \(first.entries[0].id)")
        // The same text after normalization (full-width letters, spaces) is the same page.
        #expect(try search(" 請求書 ") == first)
        #expect(try fixture.audit().count == audited + 2)
        let entries = try fixture.audit().suffix(2)
        #expect(Set(entries.map { $0.string("detail") ?? "" }).count == 1)
        #expect(entries.allSatisfy { $0.string("action") == "search" })
        // Another word is its own page; a moved stamp reads again.
        #expect(try search("輸入代行") != first)
        try fixture.instance.database.write { tx in
            try tx.run("UPDATE inquiries SET flags = flags WHERE id = ?", [.integer(first.entries[0].id)])
        }
        #expect(try search("請求書").entries.first?.id != first.entries[0].id)
    }

    @Test("a search's rendering is kept beside its page and audited every time with the page's counts")
    func searchRendering() throws {
        let fixture = try AdminCommandFixture()
        try InquirySearchTests.corpus(fixture, count: 40)
        let cache = ListCache()
        var renders = 0
        func search(_ text: String, at now: Int64 = Self.now) throws -> (page: InquirySearch.Page, output: String) {
            try InquirySearch.rendered(
                text, filter: InboxFilter(), limit: 5, revealCustomers: false, viewer: 1, in: fixture.instance,
                candidateLimit: 2_000, actor: InquirySearchTests.actor, cache: cache,
                now: Date(timeIntervalSince1970: Double(now)), rendering: "ja /?q=", bytes: { $0.utf8.count }
            ) { page in
                renders += 1
                return (page.entries.map { String($0.id) }.joined(separator: ","), Self.now + 30)
            }
        }
        let audited = try fixture.audit().count
        let first = try search("請求書")
        #expect(!first.page.entries.isEmpty && renders == 1)
        let again = try search(" 請求書 ", at: Self.now + 29)
        #expect(again.output == first.output && again.page == first.page && renders == 1)
        let entries = try fixture.audit().suffix(2)
        #expect(try fixture.audit().count == audited + 2)
        #expect(Set(entries.map { $0.string("detail") ?? "" }).count == 1)
        // Past its validity it is rendered again from the kept page, and still audited.
        #expect(try search("請求書", at: Self.now + 30).output == first.output && renders == 2)
        #expect(try fixture.audit().count == audited + 3)
    }

    @Test("a thread's rendering is kept under the stamp it was read at, per viewer and rendering, while valid")
    func threadRendering() {
        let cache = ListCache()
        var renders = 0
        func render(stamp: Int64, at now: Int64 = Self.now, rendering: String = "ja 0 0", viewer: Int64 = 1) -> String {
            cache.rendering(
                part: "timeline", inquiry: 7, revealCustomers: false, viewer: viewer, rendering: rendering,
                stamp: stamp, now: now, bytes: { $0.utf8.count }
            ) {
                renders += 1
                return ("r\(renders)", Self.now + 60)
            }
        }
        #expect(render(stamp: 5) == "r1")
        #expect(render(stamp: 5, at: Self.now + 59) == "r1")
        #expect(render(stamp: 5, viewer: 2) == "r2")
        #expect(render(stamp: 5, rendering: "en 0 0") == "r3")
        // A newer stamp retires the renderings; one read at an older stamp is neither
        // served nor stored over it.
        #expect(render(stamp: 6) == "r4")
        #expect(render(stamp: 5) == "r5")
        #expect(render(stamp: 6) == "r4")
        #expect(render(stamp: 6, at: Self.now + 60) == "r6")
    }

    @Test("a page of an older stamp is not stored over a newer one; pages age out")
    func olderStampAndAge() throws {
        let fixture = try AdminCommandFixture()
        try InquirySearchTests.corpus(fixture, count: 10)
        let cache = ListCache(capacity: 2, maximumAge: 60)
        let stamp = try Self.stamp(fixture)
        // The cache holds a page of a later stamp; a page read at the earlier one is not kept.
        try fixture.instance.database.write { try $0.run("UPDATE list_stamp SET n = n + 5 WHERE id = 1") }
        _ = try Self.inbox(fixture, cache: cache)
        #expect(cache.count == 1)
        try fixture.instance.database.write {
            try $0.run("UPDATE list_stamp SET n = ? WHERE id = 1", [.integer(stamp)])
        }
        _ = try fixture.instance.database.read {
            try Inbox.page(
                InboxFilter(status: "new"), limit: 10, revealCustomers: false, viewer: 1, cache: cache,
                now: Self.now, in: $0)
        }
        #expect(cache.count == 1)
        try fixture.instance.database.write {
            try $0.run("UPDATE list_stamp SET n = ? WHERE id = 1", [.integer(stamp + 5)])
        }
        // Over the capacity everything is dropped first; past the age a page is read again.
        for viewer: Int64 in [1, 2, 3] { _ = try Self.inbox(fixture, cache: cache, viewer: viewer) }
        #expect(cache.count == 1)
        let later = try fixture.instance.database.read {
            try Inbox.page(
                InboxFilter(), limit: 10, revealCustomers: false, viewer: 3, cache: cache, now: Self.now + 61, in: $0)
        }
        #expect(!later.entries.isEmpty)
        #expect(cache.count == 1)
    }

    /// Operators 1 and 2 (whose views are recorded).
    static func operators(_ fixture: AdminCommandFixture) throws {
        try fixture.instance.database.write { tx in
            for login in ["suzuki", "tanaka"] {
                var user = RowValues()
                for column in ["login", "display_name"] { user.set(column, .text(login)) }
                user.set("password_hash", .text("x"))
                user.set("role", .text("operator"))
                for column in ["created_at", "password_changed_at"] { user.set(column, .int(0)) }
                try tx.insert(into: "users", user)
            }
        }
    }

    static func thread(
        _ fixture: AdminCommandFixture, _ id: Int64, cache: ListCache?, viewer: Int64? = 1, reveal: Bool = false,
        at now: Int64 = ListCacheTests.now
    ) throws -> InquiryThread {
        try InquiryView.thread(
            id, revealCustomers: reveal, viewer: viewer, actor: InquirySearchTests.actor, in: fixture.instance.database,
            cache: cache, now: Date(timeIntervalSince1970: Double(now)))
    }

    @Test("a thread comes from the cache while the stamp stands, is audited every time, and shows a new event at once")
    func threadCached() throws {
        let fixture = try AdminCommandFixture()
        try Self.operators(fixture)
        let filed = try fixture.file(subject: "請求書の件", body: "請求書をお送りください。")
        let cache = ListCache()
        // A first view records the viewer's read mark, which moves the stamp; later ones are kept.
        _ = try Self.thread(fixture, filed.inquiryID, cache: cache, viewer: 2)
        _ = try Self.thread(fixture, filed.inquiryID, cache: cache)
        let audited = try fixture.audit().count
        let first = try Self.thread(fixture, filed.inquiryID, cache: cache)
        #expect(cache.count == 1)
        try Self.changeBehindTheStamp(
            fixture, "UPDATE inquiries SET status = 'done' WHERE id = \(filed.inquiryID)")
        #expect(try Self.thread(fixture, filed.inquiryID, cache: cache) == first)
        #expect(try fixture.audit().count == audited + 2)
        #expect(try fixture.audit().suffix(2).allSatisfy { $0.string("action") == "inquiry-view" })
        // Another viewer, or the address permission, is a thread of its own.
        _ = try Self.thread(fixture, filed.inquiryID, cache: cache, viewer: 2)
        _ = try Self.thread(fixture, filed.inquiryID, cache: cache, reveal: true)
        #expect(cache.count == 3)
        // An event (here a note) moves the stamp: the next view reads the thread again.
        try fixture.instance.database.write { tx in
            try InquiryEvents.append(.note, inquiry: filed.inquiryID, user: 1, text: "折り返し連絡", now: Self.now, in: tx)
        }
        let again = try Self.thread(fixture, filed.inquiryID, cache: cache)
        #expect(again.events.map(\.kind).last == .note)
        #expect(again.inquiry.status == "done")
    }

    @Test("the reply lock is read on every view, never from the cache")
    func lockFresh() throws {
        let fixture = try AdminCommandFixture()
        try Self.operators(fixture)
        let filed = try fixture.file(subject: "請求書の件", body: "請求書をお送りください。")
        let cache = ListCache()
        #expect(try Self.thread(fixture, filed.inquiryID, cache: cache).lock == nil)
        try Self.changeBehindTheStamp(
            fixture,
            "INSERT INTO inquiry_locks (inquiry_id, user_id, acquired_at) VALUES (\(filed.inquiryID), 2, \(Self.now))")
        #expect(try Self.thread(fixture, filed.inquiryID, cache: cache).lock?.userID == 2)
        try Self.changeBehindTheStamp(fixture, "DELETE FROM inquiry_locks")
        #expect(try Self.thread(fixture, filed.inquiryID, cache: cache).lock == nil)
    }

    @Test("a view records the viewer's read mark only when a message is newer than it, so rereading moves nothing")
    func viewRecordedOnce() throws {
        let fixture = try AdminCommandFixture()
        try Self.operators(fixture)
        let filed = try fixture.file(subject: "請求書の件", body: "請求書をお送りください。")
        func viewedAt() throws -> Int64? {
            try fixture.instance.database.read {
                try $0.rows(
                    "SELECT viewed_at FROM inquiry_views WHERE user_id = 1 AND inquiry_id = ?",
                    [
                        .integer(filed.inquiryID)
                    ]
                ).first?.int64("viewed_at")
            }
        }
        _ = try Self.thread(fixture, filed.inquiryID, cache: nil, at: Self.now)
        #expect(try viewedAt() == Self.now)
        let stamp = try Self.stamp(fixture)
        _ = try Self.thread(fixture, filed.inquiryID, cache: nil, at: Self.now + 30)
        #expect(try viewedAt() == Self.now)
        #expect(try Self.stamp(fixture) == stamp)
        // A newer message makes the inquiry unread again; the next view records it.
        try fixture.instance.database.write { tx in
            try tx.run(
                "UPDATE inquiries SET last_message_at = ? WHERE id = ?",
                [.integer(Self.now + 60), .integer(filed.inquiryID)])
        }
        #expect(
            try fixture.instance.database.read {
                try Inbox.page(InboxFilter(), revealCustomers: false, viewer: 1, in: $0).entries.first?.unread
            } == true)
        _ = try Self.thread(fixture, filed.inquiryID, cache: nil, at: Self.now + 90)
        #expect(try viewedAt() == Self.now + 90)
        #expect(
            try fixture.instance.database.read {
                try Inbox.page(InboxFilter(), revealCustomers: false, viewer: 1, in: $0).entries.first?.unread
            } == false)
        // Without a viewer nothing is recorded, but the view is still audited.
        let audited = try fixture.audit().count
        _ = try Self.thread(fixture, filed.inquiryID, cache: nil, viewer: nil, at: Self.now + 120)
        #expect(try viewedAt() == Self.now + 90)
        #expect(try fixture.audit().count == audited + 1)
    }

    @Test("a byte budget bounds the text kept: a thread over a sixteenth of it is not kept, one past it drops the rest")
    func byteBudget() throws {
        let fixture = try AdminCommandFixture()
        try Self.operators(fixture)
        let small = try fixture.file(subject: "短い", body: "短い本文です。")
        let large = try fixture.file(subject: "長い", body: String(repeating: "長い本文です。", count: 2_000))
        let cache = ListCache(maximumBytes: 64 << 10)
        // No viewer: no read mark is recorded, so the stamp stands throughout.
        _ = try Self.thread(fixture, small.inquiryID, cache: cache, viewer: nil)
        #expect(cache.count == 1)
        // About 42 KB of text: over 4 KiB, a sixteenth of the budget; read, shown, not kept.
        let shown = try Self.thread(fixture, large.inquiryID, cache: cache, viewer: nil)
        #expect(shown.messages.first?.text?.contains("長い本文です。") == true)
        #expect(cache.count == 1)
        // Inbox pages count 4 KiB each: the sixteenth passes the budget and drops the others first.
        for viewer: Int64 in 1...15 { _ = try Self.inbox(fixture, cache: cache, viewer: viewer) }
        #expect(cache.count == 16)
        _ = try Self.inbox(fixture, cache: cache, viewer: 16)
        #expect(cache.count == 1)
    }

    @Test("the sidebar counts come from the cache while the stamp stands, and are counted again once it moves")
    func countsCached() throws {
        let fixture = try AdminCommandFixture()
        try InquirySearchTests.corpus(fixture, count: 10)
        let cache = ListCache()
        func counts() throws -> InboxCounts {
            try fixture.instance.database.read { try Inbox.counts(cache: cache, now: Self.now, in: $0) }
        }
        let first = try counts()
        #expect(first == (try fixture.instance.database.read { try Inbox.counts(in: $0) }))
        try Self.changeBehindTheStamp(fixture, "UPDATE inquiries SET status = 'trash' WHERE status <> 'trash'")
        #expect(try counts() == first)
        try fixture.instance.database.write { try $0.run("UPDATE inquiries SET status = 'done'") }
        let moved = try counts()
        #expect(moved.byStatus["done"] == first.byStatus.values.reduce(0, +))
        #expect(moved != first)
    }

    @Test("a page's rendering is kept beside it until the second it names, per rendering, and retired with the stamp")
    func renderingKept() throws {
        let fixture = try AdminCommandFixture()
        try InquirySearchTests.corpus(fixture, count: 10)
        let cache = ListCache()
        var renders = 0
        func rendered(_ rendering: String = "ja /", at now: Int64 = Self.now, until: Int64 = Self.now + 10) throws
            -> String
        {
            try fixture.instance.database.read { tx in
                try Inbox.rendered(
                    InboxFilter(), limit: 10, revealCustomers: false, viewer: 1, rendering: rendering, cache: cache,
                    now: now, in: tx, bytes: { $0.utf8.count }
                ) { entries, _ in
                    renders += 1
                    return (entries.map { "\($0.id) \($0.status)" }.joined(separator: ","), until)
                }
            }
        }
        let first = try rendered()
        #expect(renders == 1 && !first.isEmpty)
        // The page and its rendering are both kept.
        #expect(cache.count == 2)
        #expect(try rendered(at: Self.now + 9) == first && renders == 1)
        // From the second it named on, it is rendered again (from the kept page).
        #expect(try rendered(at: Self.now + 10, until: Self.now + 20) == first && renders == 2)
        #expect(try rendered(at: Self.now + 11) == first && renders == 2)
        // Another language or link is a rendering of its own.
        _ = try rendered("en /", at: Self.now + 11, until: Self.now + 20)
        #expect(renders == 3 && cache.count == 3)
        // A rendering valid for no second is not kept.
        _ = try rendered("ja /?status=new", at: Self.now + 11, until: Self.now + 11)
        _ = try rendered("ja /?status=new", at: Self.now + 11, until: Self.now + 11)
        #expect(renders == 5 && cache.count == 3)
        // A change moves the stamp: the rendering shows it.
        let id = try #require(Int64(first.prefix { $0 != " " }))
        try fixture.instance.database.write { tx in
            try tx.run("UPDATE inquiries SET status = 'done' WHERE id = ?", [.integer(id)])
        }
        let moved = try rendered(at: Self.now + 12)
        #expect(renders == 6 && moved.hasPrefix("\(id) done"))
    }

    @Test("the sidebar's rendering is kept while the stamp stands and shows new counts once it moves")
    func countsRendering() throws {
        let fixture = try AdminCommandFixture()
        try InquirySearchTests.corpus(fixture, count: 10)
        let cache = ListCache()
        var renders = 0
        func sidebar() throws -> Int {
            try fixture.instance.database.read { tx in
                try Inbox.renderedCounts(rendering: "ja /", cache: cache, now: Self.now, in: tx, bytes: { _ in 8 }) {
                    renders += 1
                    return $0.byStatus["done"] ?? 0
                }
            }
        }
        let done = try sidebar()
        #expect(try sidebar() == done && renders == 1)
        let total = try fixture.instance.database.read { tx in
            try tx.rows("SELECT count(*) AS n FROM inquiries").first?.int64("n") ?? 0
        }
        try fixture.instance.database.write { try $0.run("UPDATE inquiries SET status = 'done'") }
        #expect(try sidebar() == Int(total) && renders == 2 && total > Int64(done))
    }

    @Test("an inquiry's replies are kept per viewer while the stamp stands; a new or changed reply moves it")
    func repliesPart() throws {
        let h = try ReplyHarness()
        let yamada = try h.user("yamada", name: "山田 花子")
        let sato = try h.user("sato", name: "佐藤 一郎")
        let cache = ListCache()
        let (inquiry, draft) = try RepliesTests.draft(h, actor: yamada)
        func replies(_ actor: AnsweringActor) throws -> [Reply] {
            try h.database.read { tx in
                try cache.part(
                    "replies", inquiry: inquiry, revealCustomers: true, viewer: actor.userID, now: Self.now, in: tx
                ) { try h.replies.replies(of: inquiry, actor: actor, in: tx) }
            }
        }
        let mine = try replies(yamada)
        let theirs = try replies(sato)
        #expect(mine.first?.subject != nil)
        // Another operator's view of a draft hides its subject: a page of its own.
        #expect(theirs.first?.subject == nil)
        #expect(cache.count == 2)
        #expect(try replies(yamada) == mine)
        // A saved draft is a change to replies: the stamp moves, and the next page shows it.
        let stamp = try h.database.read { try ListCache.stamp(in: $0) }
        try h.write { tx in
            try h.replies.save(
                draft: draft.id, version: draft.version, subject: "Re: 変更", body: "本文", statusAfter: .done,
                actor: yamada,
                now: Self.now, in: tx)
        }
        #expect(try h.database.read { try ListCache.stamp(in: $0) } > stamp)
        #expect(try replies(yamada).first?.subject == "Re: 変更")
    }
}
