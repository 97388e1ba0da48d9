// Inbox: the operator's inquiry list, newest activity first, keyset-paged on
// (last_message_at, id) over the inbox indexes of migration 4, and the sidebar
// counts. Pure reads: the web page audits what the issue asks (viewing an inquiry,
// search), not every refresh of the list.
// SECURITY: customer names and addresses are decrypted only with `revealCustomers`
// (the permission to view customer addresses); without it only the pseudonym leaves
// this function.

import MadoguchiStore

/// Reads the inbox.
public enum Inbox {
    /// The most entries one page holds.
    public static let maximumPageSize = 200

    /// One page of the inbox.
    /// - Parameters:
    ///   - filter: what to show.
    ///   - after: the cursor of the previous page's last entry; nil for the first page.
    ///   - limit: entries per page (1…`maximumPageSize`).
    ///   - revealCustomers: decrypt the customer's name and address.
    ///   - viewer: the operator (`users.id`) whose unread marks to show, or nil.
    ///   - cache: where the page is looked up first and stored after (the web page's);
    ///     nil to always read. A filter with `inquiryIDs` is never cached.
    ///   - now: the time for `cache`'s age limit (seconds since 1970).
    ///   - tx: a read or write transaction.
    /// - Returns: the entries and the cursor of the next page, nil on the last page.
    /// - Throws: `InquiryError.unknownStatus`, `StoreError`, `CryptoError`.
    public static func page(
        _ filter: InboxFilter, after: InboxCursor? = nil, limit: Int = 50, revealCustomers: Bool,
        viewer: Int64? = nil, cache: ListCache? = nil, now: Int64 = 0, in tx: DatabaseTransaction
    ) throws -> (entries: [InboxEntry], next: InboxCursor?) {
        let (key, read) = try pageReader(
            filter, after: after, limit: limit, revealCustomers: revealCustomers, viewer: viewer, in: tx)
        guard let cache, let key else { return try read() }
        return try cache.page(key, now: now, in: tx, read: read)
    }

    /// What `render` makes of one page of the inbox (its markup), kept in `cache` beside
    /// the page under `rendering` (what else the output depends on: the language, the
    /// link) until the second `render` returns as the first its output would differ.
    /// The parameters are `page`'s; the entries are read only when the rendering is
    /// missing.
    /// - Throws: `InquiryError.unknownStatus`, `StoreError`, `CryptoError`, or what
    ///   `render` throws.
    public static func rendered<Output: Sendable>(
        _ filter: InboxFilter, after: InboxCursor? = nil, limit: Int = 50, revealCustomers: Bool,
        viewer: Int64? = nil, rendering: String, cache: ListCache?, now: Int64, in tx: DatabaseTransaction,
        bytes: (Output) -> Int,
        render: (_ entries: [InboxEntry], _ next: InboxCursor?) throws -> (output: Output, validUntil: Int64)
    ) throws -> Output {
        let (key, read) = try pageReader(
            filter, after: after, limit: limit, revealCustomers: revealCustomers, viewer: viewer, in: tx)
        guard let cache, let key else {
            let page = try read()
            return try render(page.entries, page.next).output
        }
        return try cache.rendering(key, rendering, now: now, in: tx, bytes: bytes, read: read) {
            try render($0.entries, $0.next)
        }
    }

    /// A page's cache key (nil when it is never cached: a filter with `inquiryIDs`) and
    /// the read that computes it.
    private static func pageReader(
        _ filter: InboxFilter, after: InboxCursor?, limit: Int, revealCustomers: Bool, viewer: Int64?,
        in tx: DatabaseTransaction
    ) throws -> (ListCache.Key?, () throws -> (entries: [InboxEntry], next: InboxCursor?)) {
        try InquiryList.check(status: filter.status)
        let size = min(max(limit, 1), maximumPageSize)
        let read = { () throws -> (entries: [InboxEntry], next: InboxCursor?) in
            guard let (conditions, arguments) = conditions(filter, after: after) else { return ([], nil) }
            let entries = try load(
                where: conditions, arguments, limit: size + 1, revealCustomers: revealCustomers, viewer: viewer, in: tx)
            return (Array(entries.prefix(size)), entries.count > size ? entries[size - 1].cursor : nil)
        }
        guard filter.inquiryIDs == nil else { return (nil, read) }
        let key = ListCache.Key(
            query: "", filter: filter, after: after, limit: size, revealCustomers: revealCustomers, viewer: viewer)
        return (key, read)
    }

    /// The SQL conditions over `i` (the inquiries table) and their arguments that select
    /// the filter's inquiries ranked after `after`; nil when the filter matches nothing
    /// (an empty `inquiryIDs`). Shared by `page` and the search's page (InquirySearch+Page).
    static func conditions(_ filter: InboxFilter, after: InboxCursor?) -> ([String], [SQLValue])? {
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        if let status = filter.status {
            conditions.append("i.status = ?")
            arguments.append(.text(status))
        } else {
            conditions.append("i.status <> 'trash'")
        }
        switch filter.assignee {
        case .anyone: break
        case .user(let id):
            conditions.append("i.assignee_id = ?")
            arguments.append(.integer(id))
        case .unassigned:
            conditions.append("i.assignee_id IS NULL")
        }
        if let mailboxID = filter.mailboxID {
            conditions.append("i.mailbox_id = ?")
            arguments.append(.integer(mailboxID))
        }
        if let ids = filter.inquiryIDs {
            if ids.isEmpty { return nil }
            conditions.append("i.id IN (SELECT value FROM json_each(?))")
            arguments.append(.idList(ids))
        }
        if let after {
            conditions.append("(i.last_message_at, i.id) < (?, ?)")
            arguments += [.integer(after.lastMessageAt), .integer(after.id)]
        }
        return (conditions, arguments)
    }

    /// Inquiries matching `conditions` (SQL over `i`, the inquiries table), newest
    /// activity first, at most `limit`.
    static func load(
        where conditions: [String], _ arguments: [SQLValue], limit: Int, revealCustomers: Bool,
        viewer: Int64? = nil, in tx: DatabaseTransaction
    ) throws -> [InboxEntry] {
        let sql = """
            SELECT i.id, i.status, i.subject_enc, i.last_message_at, i.created_at, i.flags, mb.name,
                   c.id, c.pseudonym, c.name_enc, c.address_enc, u.id, u.display_name,
                   (SELECT v.viewed_at FROM inquiry_views v WHERE v.user_id = ? AND v.inquiry_id = i.id)
            FROM inquiries i
            JOIN mailboxes mb ON mb.id = i.mailbox_id
            LEFT JOIN customers c ON c.id = i.customer_id
            LEFT JOIN users u ON u.id = i.assignee_id
            WHERE \(conditions.isEmpty ? "1" : conditions.joined(separator: " AND "))
            ORDER BY i.last_message_at DESC, i.id DESC
            LIMIT ?
            """
        let statement = try tx.statement(sql)
        try statement.bind([.integer(viewer ?? 0)] + arguments + [.int(limit)])
        var entries: [InboxEntry] = []
        try statement.forEachRow { row in
            let id = row.int64(at: 0)
            let customer: Int64? = row.isNull(at: 7) ? nil : row.int64(at: 7)
            var entry = InboxEntry(
                id: id, status: row.string(at: 1) ?? "",
                subject: try tx.openString(row, at: 2, table: "inquiries", column: "subject_enc", row: id),
                customerPseudonym: row.string(at: 8), mailbox: row.string(at: 6) ?? "",
                assignee: row.string(at: 12), assigneeID: row.isNull(at: 11) ? nil : row.int64(at: 11),
                lastMessageAt: row.int64(at: 3), createdAt: row.int64(at: 4),
                flags: InquiryFlags(rawValue: row.int64(at: 5)))
            entry.customerID = customer
            entry.unread = viewer != nil && (row.isNull(at: 13) || row.int64(at: 13) < entry.lastMessageAt)
            if revealCustomers, let customer {
                entry.customerName = try tx.openString(
                    row, at: 9, table: "customers", column: "name_enc", row: customer)
                entry.customerAddress = try tx.openString(
                    row, at: 10, table: "customers", column: "address_enc", row: customer)
            }
            entries.append(entry)
        }
        return entries
    }

    /// The sidebar counts: inquiries per status, and per mailbox outside the trash.
    /// - Parameters:
    ///   - cache: where the counts are looked up first and stored after (the web page's:
    ///     every change they count moves the list stamp); nil to always read.
    ///   - now: the time for `cache`'s age limit (seconds since 1970).
    ///   - tx: a read or write transaction.
    /// - Throws: `StoreError`.
    public static func counts(cache: ListCache? = nil, now: Int64 = 0, in tx: DatabaseTransaction) throws
        -> InboxCounts
    {
        guard let cache else { return try readCounts(in: tx) }
        return try cache.page(.counts, now: now, in: tx, bytes: { _ in 1024 }) { try readCounts(in: tx) }
    }

    /// What `render` makes of the sidebar counts (the sidebar's markup), kept in `cache`
    /// beside them under `rendering` (the language, the current selection) while the
    /// list stamp stands; the counts are read only when it is missing.
    /// - Throws: `StoreError`, or what `render` throws.
    public static func renderedCounts<Output: Sendable>(
        rendering: String, cache: ListCache?, now: Int64, in tx: DatabaseTransaction, bytes: (Output) -> Int,
        render: (InboxCounts) throws -> Output
    ) throws -> Output {
        guard let cache else { return try render(try readCounts(in: tx)) }
        return try cache.rendering(.counts, rendering, now: now, in: tx, bytes: bytes, read: { try readCounts(in: tx) })
        {
            (try render($0), .max)
        }
    }

    private static func readCounts(in tx: DatabaseTransaction) throws -> InboxCounts {
        var byStatus = Dictionary(uniqueKeysWithValues: InquirySummary.statuses.map { ($0, 0) })
        // inquiry_counts is kept by triggers (migration 6): a few rows, not a count.
        for row in try tx.rows("SELECT status, sum(n) AS n FROM inquiry_counts GROUP BY status") {
            if let status = row.string("status") { byStatus[status] = Int(row.int64("n") ?? 0) }
        }
        let mailboxes = try tx.rows(
            """
            SELECT mb.id, mb.name,
                   (SELECT coalesce(sum(c.n), 0) FROM inquiry_counts c WHERE c.mailbox_id = mb.id AND c.status <> 'trash')
                   AS n
            FROM mailboxes mb ORDER BY mb.name
            """
        ).map {
            InboxCounts.Mailbox(id: $0.int64("id") ?? 0, name: $0.string("name") ?? "", count: Int($0.int64("n") ?? 0))
        }
        return InboxCounts(byStatus: byStatus, mailboxes: mailboxes)
    }
}
