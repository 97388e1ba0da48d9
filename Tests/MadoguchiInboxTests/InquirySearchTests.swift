// InquirySearch.page: a page of search results confirmed lazily (only the candidates of
// the inquiries the page reaches are decrypted) equals, page after page, the inbox page
// over the inquiries of every confirmed candidate — with filters, a cursor, the
// candidate cap, threads whose matching message is older than their last activity,
// decoys that hold every bigram but not the text, and both ways of reaching the
// inquiries (walking them in page order, or looking up a few candidates' inquiries).

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct InquirySearchTests {
    static let actor = AccessActor(actor: "cli:tester")

    /// `count` incoming messages in both mailboxes, one transaction: a third are
    /// follow-ups in an earlier inquiry of their mailbox (so an inquiry's last activity is
    /// often later than its matching message), received times not in id order, statuses
    /// and assignees mixed. Bodies hold 請求書 (about half), the decoy 求書と請求 (every
    /// bigram of 請求書, not the word), or neither; `rare` in every 40th.
    static func corpus(_ fixture: AdminCommandFixture, count: Int) throws {
        var seed: UInt64 = 20_261_203
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let index = SearchIndex(keys: fixture.instance.keys)
        try fixture.instance.database.write { tx in
            var mailboxes: [Int64] = []
            for name in ["support", "sales"] {
                if let id = try tx.rows("SELECT id FROM mailboxes WHERE name = ?", [.text(name)]).first?.int64("id") {
                    mailboxes.append(id)
                } else {
                    var values = RowValues()
                    values.set("name", .text(name))
                    values.set("created_at", .integer(AdminCommandFixture.nine))
                    values.set("updated_at", .integer(AdminCommandFixture.nine))
                    mailboxes.append(try tx.insert(into: "mailboxes", values))
                }
            }
            var user = RowValues()
            for (column, text) in [("login", "sato"), ("display_name", "佐藤"), ("password_hash", "x")] {
                user.set(column, .text(text))
            }
            user.set("role", .text("operator"))
            for column in ["created_at", "password_changed_at"] { user.set(column, .int(0)) }
            let userID = try tx.insert(into: "users", user)
            var inquiries: [[(id: Int64, last: Int64)]] = [[], []]
            for number in 0..<count {
                let box = next(3) == 0 ? 1 : 0
                // Mostly later than the previous message, sometimes earlier: ids are not time order.
                let received = AdminCommandFixture.nine + Int64(number * 60 + next(400) - 200)
                let subject = ["お問い合わせ", "請求書について", "ご相談"][next(3)]
                let body =
                    [
                        "請求書の再発行をお願いします。", "求書と請求の件です。", "よろしくお願いします。", "先日の請求書、届きました。",
                    ][next(4)] + (number % 40 == 0 ? "輸入代行の件。" : "")
                let inquiryID: Int64
                if !inquiries[box].isEmpty, next(3) == 0 {
                    let pick = next(inquiries[box].count)
                    inquiryID = inquiries[box][pick].id
                    let last = max(inquiries[box][pick].last, received)
                    inquiries[box][pick].last = last
                    try tx.run(
                        "UPDATE inquiries SET last_message_at = ? WHERE id = ?", [.integer(last), .integer(inquiryID)])
                } else {
                    var customer = RowValues()
                    customer.set("address_index", .blob(try SecureRandom.bytes(32)))
                    customer.seal("address_enc", "c\(number)@example.jp")
                    customer.seal("name_enc", "顧客 \(number)")
                    customer.set("pseudonym", .text("C-\(100_000 + number)"))
                    customer.set("created_at", .integer(received))
                    let customerID = try tx.insert(into: "customers", customer)
                    var inquiry = RowValues()
                    inquiry.set("mailbox_id", .integer(mailboxes[box]))
                    inquiry.set("customer_id", .integer(customerID))
                    inquiry.set("status", .text(["new", "in_progress", "done", "trash"][next(4)]))
                    if next(2) == 0 { inquiry.set("assignee_id", .integer(userID)) }
                    inquiry.seal("subject_enc", subject)
                    inquiry.set("created_at", .integer(received))
                    inquiry.set("updated_at", .integer(received))
                    inquiry.set("last_message_at", .integer(received))
                    inquiryID = try tx.insert(into: "inquiries", inquiry)
                    inquiries[box].append((inquiryID, received))
                }
                var message = RowValues()
                message.set("inquiry_id", .integer(inquiryID))
                message.set("mailbox_id", .integer(mailboxes[box]))
                message.set("intake_id", .text("test:\(number)"))
                message.set("direction", "in")
                message.set("received_at", .integer(received))
                message.set("size", .int(body.utf8.count))
                message.seal("subject_enc", subject)
                message.seal("text_body_enc", body)
                let messageID = try tx.insert(into: "messages", message)
                try index.add(
                    messageID: messageID, mailboxID: mailboxes[box], subject: subject, body: body, in: tx)
            }
        }
    }

    /// Every page of the search as the web page showed it before lazy confirmation: every
    /// candidate confirmed (`run` without a result limit), then `Inbox.page` over the
    /// inquiries of the matches.
    static func eagerPages(
        _ fixture: AdminCommandFixture, _ query: String, _ filter: InboxFilter, limit: Int, candidateLimit: Int
    ) throws -> (pages: [[Int64]], truncated: Bool) {
        let mailbox = try filter.mailboxID.flatMap { id in
            try fixture.instance.database.connection.rows("SELECT name FROM mailboxes WHERE id = ?", [.integer(id)])
                .first?.string("name")
        }
        let report = try InquirySearch.run(
            query, mailbox: mailbox, in: fixture.instance, candidateLimit: candidateLimit, actor: actor)
        var matching = filter
        matching.inquiryIDs = report.inquiries.map(\.id)
        var pages: [[Int64]] = []
        var cursor: InboxCursor?
        repeat {
            let page = try fixture.instance.database.read {
                try Inbox.page(matching, after: cursor, limit: limit, revealCustomers: false, in: $0)
            }
            pages.append(page.entries.map(\.id))
            cursor = page.next
        } while cursor != nil
        return (pages, report.truncated)
    }

    /// Every page through `InquirySearch.page`, following its cursors.
    static func lazyPages(
        _ fixture: AdminCommandFixture, _ query: String, _ filter: InboxFilter, limit: Int, candidateLimit: Int
    ) throws -> (pages: [[Int64]], first: InquirySearch.Page) {
        var pages: [[Int64]] = []
        var cursor: InboxCursor?
        var first: InquirySearch.Page?
        repeat {
            let page = try InquirySearch.page(
                query, filter: filter, after: cursor, limit: limit, revealCustomers: false, in: fixture.instance,
                candidateLimit: candidateLimit, actor: actor)
            first = first ?? page
            pages.append(page.entries.map(\.id))
            cursor = page.next
        } while cursor != nil
        return (pages, try #require(first))
    }

    @Test(
        "every page equals the page over all confirmed candidates, walking in page order or looking up candidates",
        arguments: [
            // (candidate limit, page size): no cap (walk), the cap reached (walk), few candidates (lookup)
            (10_000, 50), (10_000, 7), (300, 50), (300, 4), (120, 50), (120, 9),
        ])
    func samePages(candidateLimit: Int, limit: Int) throws {
        let fixture = try AdminCommandFixture()
        try Self.corpus(fixture, count: 700)
        let sales = try fixture.instance.database.read { try InquirySummary.mailboxID(named: "sales", in: $0) }
        let filters = [
            InboxFilter(), InboxFilter(status: "done"), InboxFilter(status: "trash"), InboxFilter(mailboxID: sales),
            InboxFilter(assignee: .unassigned),
            InboxFilter(status: "in_progress", assignee: .user(1), mailboxID: sales),
        ]
        for query in ["請求書", "輸入代行", "求書", "求", "量子計算"] {
            for filter in filters {
                let eager = try Self.eagerPages(fixture, query, filter, limit: limit, candidateLimit: candidateLimit)
                let lazy = try Self.lazyPages(fixture, query, filter, limit: limit, candidateLimit: candidateLimit)
                #expect(lazy.pages == eager.pages, "\(query) \(filter)")
                // The page says the cap cut it only when the cap cut the whole search.
                #expect(!lazy.first.truncated || eager.truncated, "\(query) \(filter)")
            }
        }
    }

    @Test("a first page of a common word decrypts about a page of candidates, not every candidate")
    func fewDecryptions() throws {
        let fixture = try AdminCommandFixture()
        try Self.corpus(fixture, count: 700)
        let full = try InquirySearch.run(
            "請求書", mailbox: nil, in: fixture.instance, candidateLimit: 2_000, actor: Self.actor)
        #expect(full.candidates > 300)
        let page = try InquirySearch.page(
            "請求書", filter: InboxFilter(), limit: 10, revealCustomers: false, in: fixture.instance,
            candidateLimit: 2_000, actor: Self.actor)
        #expect(page.entries.count == 10)
        #expect(page.next != nil)
        #expect(page.limited && !page.truncated)
        // A page of 10 (+1 to know there is a next page); decoys and trashed inquiries cost a few more.
        #expect(page.candidates < 40, "\(page.candidates) decrypted")
        let audit = try #require(try fixture.audit().last)
        #expect(audit.string("action") == "search")
        #expect(
            audit.string("detail")
                == #"{"candidates":\#(page.candidates),"limited":1,"messages":11,"results":10,"terms":2,"truncated":0}"#
        )
    }

    @Test("an empty query and an unknown status are refused before any audit entry")
    func refused() throws {
        let fixture = try AdminCommandFixture()
        let before = try fixture.audit().count
        #expect(throws: SearchError.emptyQuery) {
            try InquirySearch.page(
                " ", filter: InboxFilter(), revealCustomers: false, in: fixture.instance, candidateLimit: 10,
                actor: Self.actor)
        }
        #expect(throws: InquiryError.unknownStatus("open")) {
            try InquirySearch.page(
                "請求書", filter: InboxFilter(status: "open"), revealCustomers: false, in: fixture.instance,
                candidateLimit: 10, actor: Self.actor)
        }
        #expect(try fixture.audit().count == before)
    }
}
