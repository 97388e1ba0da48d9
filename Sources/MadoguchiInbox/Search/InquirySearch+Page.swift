// InquirySearch+Page: one inbox page of search results — the web page's search. The
// index gives the candidates (no decryption); the inquiries are then visited in the
// inbox's order (newest activity first, the page's filters, after its cursor) and only
// their candidate messages are decrypted, until the page is full. A common word thus
// costs a page's worth of decryptions instead of the candidate cap's: the same page
// as confirming every candidate first (InquirySearchTests), at a fraction of the cost.
// SECURITY: audited before anything is returned, counts only (madoguchi-security(7),
// search-index leakage); the candidate cap still bounds the decryptions.

import Foundation
import MadoguchiCore
import MadoguchiStore

extension InquirySearch {
    /// One page of inquiries that match a search.
    public struct Page: Sendable, Equatable {
        /// The matching inquiries of the page, in the inbox's order.
        public var entries: [InboxEntry]
        /// The cursor of the next page, nil on the last one.
        public var next: InboxCursor?
        /// Candidates decrypted to confirm the page.
        public var candidates: Int
        /// Candidates confirmed (at most one per inquiry: the first match settles it).
        public var messages: Int
        /// Whether the candidate cap was reached (older matches may be missing).
        public var truncated: Bool
        /// Whether candidates were left unchecked because the page was full.
        public var limited: Bool
        /// Bigram terms of the query.
        public var terms: Int
    }

    /// Above this many candidates, the inquiries may be walked in page order first (an
    /// index read each, no decryption) instead of looking up every candidate's inquiry (a
    /// row read each, about twice the cost): a common word fills the page within the first
    /// few dozen inquiries. Below it, the lookups cost little either way.
    static let walkThreshold = 256

    /// One page of the inquiries that `filter` selects and that hold a message matching
    /// `query`: the page `Inbox.page` would show for the inquiries of every confirmed
    /// candidate, confirming only the candidates of the inquiries it reaches. Commits the
    /// audit entry (action `search`, detail
    /// `{"candidates":…,"limited":…,"messages":…,"results":…,"terms":…,"truncated":…}`)
    /// before returning anything.
    /// - Parameters:
    ///   - query: the search text.
    ///   - filter: the inbox filter; with a mailbox, only that mailbox's index is searched.
    ///   - after: the cursor of the previous page; nil for the first.
    ///   - limit: inquiries per page (1…`Inbox.maximumPageSize`).
    ///   - revealCustomers: decrypt the customers' names and addresses.
    ///   - viewer: the operator whose unread marks to show, or nil.
    ///   - instance: the open instance.
    ///   - candidateLimit: most index candidates considered (and so decrypted).
    ///   - actor: who searches.
    ///   - mapDatabase: as for `run`.
    ///   - cache: where the page is looked up first and stored after (the web page's);
    ///     nil to always search. A page from the cache is audited like any other, with
    ///     the counts of the search that computed it.
    ///   - now: the audit time.
    /// - Throws: `SearchError.emptyQuery`, `InquiryError.unknownStatus`, `StoreError` (the
    ///   audit entry could not be written: the search is refused), `CryptoError`.
    public static func page(
        _ query: String, filter: InboxFilter, after: InboxCursor? = nil, limit: Int = 50, revealCustomers: Bool,
        viewer: Int64? = nil, in instance: InstanceDatabase, candidateLimit: Int, actor: AccessActor,
        mapDatabase: Bool = true, cache: ListCache? = nil, now: Date = Date()
    ) throws -> Page {
        try rendered(
            query, filter: filter, after: after, limit: limit, revealCustomers: revealCustomers, viewer: viewer,
            in: instance, candidateLimit: candidateLimit, actor: actor, mapDatabase: mapDatabase, cache: cache,
            now: now, rendering: nil
        ) { _ in ((), .max) }.page
    }

    /// `page`, and what `render` makes of it (its list's markup), kept in `cache` beside
    /// the page under `rendering` (the language, the link) until the second `render`
    /// returns as the first its output would differ; nil `rendering` keeps nothing
    /// more. Audited exactly as `page`, whether the rendering was kept or not.
    /// - Throws: as `page`, or what `render` throws.
    public static func rendered<Output: Sendable>(
        _ query: String, filter: InboxFilter, after: InboxCursor? = nil, limit: Int = 50, revealCustomers: Bool,
        viewer: Int64? = nil, in instance: InstanceDatabase, candidateLimit: Int, actor: AccessActor,
        mapDatabase: Bool = true, cache: ListCache? = nil, now: Date = Date(), rendering: String?,
        bytes: (Output) -> Int = { _ in 4096 }, render: (Page) throws -> (output: Output, validUntil: Int64)
    ) throws -> (page: Page, output: Output) {
        let normalized = SearchText.normalize(query)
        guard !normalized.isEmpty else { throw SearchError.emptyQuery }
        try InquiryList.check(status: filter.status)
        try setMapping(mapDatabase, on: instance.database.connection)
        let index = SearchIndex(keys: instance.keys)
        let size = min(max(limit, 1), Inbox.maximumPageSize)
        let key = ListCache.Key(
            query: String(String.UnicodeScalarView(normalized)), filter: filter, after: after,
            limit: size, candidateLimit: candidateLimit, revealCustomers: revealCustomers, viewer: viewer)
        let seconds = Int64(now.timeIntervalSince1970)
        let (page, mailbox, output) = try instance.database.read { tx -> (Page, String?, Output) in
            let search = { () throws -> (Page, String?) in
                let found = try index.candidates(
                    query, mailboxIDs: filter.mailboxID.map { [$0] }, candidateLimit: candidateLimit, in: tx)
                var walk = PageWalk(index: index, found: found, wanted: size + 1, tx: tx)
                try walk.run(filter, after: after)
                var matching = filter
                matching.inquiryIDs = walk.confirmed
                let shown = try Inbox.page(
                    matching, after: after, limit: size, revealCustomers: revealCustomers, viewer: viewer, in: tx)
                let page = Page(
                    entries: shown.entries, next: shown.next, candidates: walk.decrypted,
                    messages: walk.confirmed.count,
                    truncated: found.truncated, limited: walk.unchecked, terms: found.terms)
                let name = try filter.mailboxID.flatMap {
                    try tx.rows("SELECT name FROM mailboxes WHERE id = ?", [.integer($0)]).first?.string("name")
                }
                return (page, name)
            }
            guard let cache, let rendering else {
                let (page, name) = try cache.map { try $0.page(key, now: seconds, in: tx, read: search) } ?? search()
                return (page, name, try render(page).output)
            }
            return try cache.rendering(key, rendering, now: seconds, in: tx, bytes: { bytes($0.2) }, read: search) {
                let (output, until) = try render($0.0)
                return (($0.0, $0.1, output), until)
            }
        }
        try audit(
            actor: actor, mailbox: mailbox, now: now,
            counts: [
                "terms": page.terms, "candidates": page.candidates, "messages": page.messages,
                "results": page.entries.count, "truncated": page.truncated ? 1 : 0, "limited": page.limited ? 1 : 0,
            ], in: instance)
        return (page, output)
    }
}

/// Finds, in page order, the first `wanted` inquiries that hold a confirmed candidate.
private struct PageWalk {
    let index: SearchIndex
    let found: SearchIndex.Candidates
    let wanted: Int
    let tx: DatabaseTransaction
    /// The matching inquiries found so far, in page order.
    var confirmed: [Int64] = []
    /// Candidates decrypted.
    var decrypted = 0
    /// Whether candidates remain unchecked (the page filled first).
    var unchecked = false

    init(index: SearchIndex, found: SearchIndex.Candidates, wanted: Int, tx: DatabaseTransaction) {
        self.index = index
        self.found = found
        self.wanted = wanted
        self.tx = tx
    }

    /// Walks the inquiries of `filter` after `after`. Many candidates: the inquiries in
    /// page order, each one's messages from the covering index `messages_inquiry`, for at
    /// most as many inquiries as there are candidates; then (or with few candidates from
    /// the start) the inquiries of the candidates not yet reached, looked up by message.
    mutating func run(_ filter: InboxFilter, after: InboxCursor?) throws {
        guard !found.ids.isEmpty else { return }
        var frontier = after
        var remaining = found.ids.count
        if try worthWalking() {
            let candidates = Set(found.ids)
            guard let (conditions, arguments) = Inbox.conditions(filter, after: after) else { return }
            let inquiries = try tx.statement(
                """
                SELECT i.id, i.last_message_at FROM inquiries i WHERE \(conditions.joined(separator: " AND "))
                ORDER BY i.last_message_at DESC, i.id DESC LIMIT ?
                """)
            try inquiries.bind(arguments + [.int(found.ids.count)])
            defer { inquiries.reset() }
            let messages = try tx.statement("SELECT id FROM messages WHERE inquiry_id = ?")
            var walked = 0
            while try inquiries.step() {
                walked += 1
                let inquiry = inquiries.int64(at: 0)
                messages.reset()
                try messages.bind(.integer(inquiry), at: 1)
                var held: [Int64] = []
                while try messages.step() {
                    let id = messages.int64(at: 0)
                    if candidates.contains(id) { held.append(id) }
                }
                messages.reset()
                remaining -= held.count
                if try settle(inquiry, held.sorted(by: >)) {
                    unchecked = remaining > 0
                    return
                }
                frontier = InboxCursor(lastMessageAt: inquiries.int64(at: 1), id: inquiry)
                if remaining == 0 { return }
            }
            // Fewer inquiries than the walk allows: every one of the filter was seen.
            if walked < found.ids.count { return }
        }
        guard let (conditions, arguments) = Inbox.conditions(filter, after: frontier) else { return }
        let pairs = try tx.statement(
            """
            SELECT i.id, m.id FROM messages m JOIN inquiries i ON i.id = m.inquiry_id
            WHERE m.id IN (SELECT value FROM json_each(?)) AND \(conditions.joined(separator: " AND "))
            ORDER BY i.last_message_at DESC, i.id DESC, m.id DESC
            """)
        try pairs.bind([.idList(found.ids)] + arguments)
        defer { pairs.reset() }
        var current: Int64?
        var held: [Int64] = []
        while try pairs.step() {
            let inquiry = pairs.int64(at: 0)
            if inquiry != current {
                if let current, try settle(current, held) {
                    unchecked = true
                    return
                }
                current = inquiry
                held = []
            }
            held.append(pairs.int64(at: 1))
        }
        if let current { _ = try settle(current, held) }
    }

    /// Whether walking is likely cheaper than looking up every candidate: the candidates
    /// are many and dense among the newest messages, so the page fills after about
    /// `wanted / density` inquiries (density: candidates per message since the oldest
    /// candidate); a lookup costs about two inquiries walked.
    private func worthWalking() throws -> Bool {
        guard found.ids.count > InquirySearch.walkThreshold, let oldest = found.ids.last else { return false }
        let newest = try tx.rows("SELECT max(id) AS id FROM messages").first?.int64("id") ?? oldest
        let span = Double(max(1, newest - oldest + 1))
        let candidates = Double(found.ids.count)
        return Double(wanted) * span / candidates < 2 * candidates
    }

    /// Confirms the inquiry's candidates (newest first) until one matches; true once the
    /// walk has its `wanted` inquiries.
    private mutating func settle(_ inquiry: Int64, _ held: [Int64]) throws -> Bool {
        for id in held {
            decrypted += 1
            if try index.confirm(id, found, in: tx) {
                confirmed.append(inquiry)
                break
            }
        }
        return confirmed.count >= wanted
    }
}
