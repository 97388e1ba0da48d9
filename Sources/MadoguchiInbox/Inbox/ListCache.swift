// ListCache: the inbox and search pages, and the inquiries' threads, a web server
// computed, kept while the list stamp (migrations 10 and 11) has not moved. A repeated
// page — the same operator, filter, cursor, search text and address permission — or
// thread is answered without reading and decrypting its rows again; any committed
// change to what such a page shows, by this process or another (scan-and-file, the
// CLI), moves the stamp and so retires every page computed before it. A page is
// stored under the stamp read in the snapshot it was computed in (or an earlier one),
// so a page is never served for a newer stamp than its data (ListCacheTests). A
// page's rendering (the inbox list's markup, which shows elapsed times) is kept
// beside it under the same stamp, until the second its renderer says the output
// would first differ (ListCacheTests.renderingKept).
// SECURITY: the pages hold decrypted subjects and, with the address permission,
// customers' names and addresses, and threads their messages' text, in this process's
// memory only: keyed by the viewer and by that permission (never shared between
// operators), at most `capacity` pages and `maximumBytes` of text, each dropped
// `maximumAge` seconds after it was computed (madoguchi-security(7),
// WEB PAGE, Reads in the audit log).

import MadoguchiCore
import MadoguchiStore

/// Recently computed inbox and search pages.
///
/// `@unchecked Sendable`: `state` is read only under `lock`'s read side and changed
/// only under its write side.
public final class ListCache: @unchecked Sendable {
    /// What identifies one page.
    struct Key: Hashable, Sendable {
        /// The normalized search text; empty for the inbox.
        var query: String
        var status: String?
        var assignee: String
        var mailboxID: Int64?
        var after: String?
        var limit: Int
        var candidateLimit: Int
        var revealCustomers: Bool
        var viewer: Int64?
        /// The inquiry of a thread or of a part of its page; nil for a list.
        var inquiry: Int64?
        /// Which part of a page other than a list or a thread (the sidebar counts, an
        /// inquiry's replies); empty for those.
        var part = ""
        /// Which rendering of the page (its markup for one language and link), empty for
        /// the page itself.
        var rendering = ""

        /// The key of a page.
        init(
            query: String, filter: InboxFilter, after: InboxCursor?, limit: Int, candidateLimit: Int = 0,
            revealCustomers: Bool, viewer: Int64?
        ) {
            self.query = query
            status = filter.status
            switch filter.assignee {
            case .anyone: assignee = "*"
            case .unassigned: assignee = "-"
            case .user(let id): assignee = String(id)
            }
            mailboxID = filter.mailboxID
            self.after = after?.description
            self.limit = limit
            self.candidateLimit = candidateLimit
            self.revealCustomers = revealCustomers
            self.viewer = viewer
        }

        /// The key of the sidebar counts (the same for everyone: they hold no customer data).
        static let counts = Key(part: "counts", inquiry: nil, revealCustomers: false, viewer: nil)

        /// The key of an inquiry's thread (`part` empty) or of another part of a page.
        init(part: String = "", inquiry: Int64?, revealCustomers: Bool, viewer: Int64?) {
            query = ""
            assignee = ""
            limit = 0
            candidateLimit = 0
            self.revealCustomers = revealCustomers
            self.viewer = viewer
            self.inquiry = inquiry
            self.part = part
        }
    }

    private struct Stored {
        var value: any Sendable
        var at: Int64
        /// The first second the value is no longer valid for (a rendering's next change
        /// of an elapsed time); `Int64.max` for a page.
        var until: Int64
        var bytes: Int
    }

    private struct State {
        var stamp: Int64 = -1
        var pages: [Key: Stored] = [:]
        var bytes = 0
    }

    /// Most pages kept; storing one more drops them all (a rare event: the stamp moves
    /// far more often than this many distinct pages are asked for).
    public let capacity: Int
    /// Most bytes of text (as the pages' `bytes` count it) kept; a page that would pass
    /// it drops them all first, and a page larger than a sixteenth of it is not kept.
    public let maximumBytes: Int
    /// Seconds a page is kept at most, even while the stamp stands.
    public let maximumAge: Int64
    private let lock = ReadWriteLock()
    private var state = State()

    /// An empty cache.
    public init(capacity: Int = 1024, maximumBytes: Int = 32 << 20, maximumAge: Int64 = 300) {
        self.capacity = capacity
        self.maximumBytes = maximumBytes
        self.maximumAge = maximumAge
    }

    /// A part of an inquiry's page other than its thread (its replies and the operators
    /// to assign to), looked up and stored like a page: `read` must read only tables
    /// that move the list stamp, and may depend only on the inquiry, the viewer and
    /// the address permission.
    /// - Throws: `StoreError`, or what `read` throws.
    public func part<Value: Sendable>(
        _ part: String, inquiry: Int64, revealCustomers: Bool, viewer: Int64?, now: Int64,
        in tx: DatabaseTransaction, read: () throws -> Value
    ) throws -> Value {
        try page(
            Key(part: part, inquiry: inquiry, revealCustomers: revealCustomers, viewer: viewer), now: now, in: tx,
            read: read)
    }

    /// The list stamp in `tx`'s snapshot.
    /// - Throws: `StoreError`.
    public static func stamp(in tx: DatabaseTransaction) throws -> Int64 {
        let statement = try tx.statement("SELECT n FROM list_stamp WHERE id = 1")
        defer { statement.reset() }
        guard try statement.step() else { return 0 }
        return statement.int64(at: 0)
    }

    /// The page for `key`: the one stored under `tx`'s stamp if it is younger than
    /// `maximumAge`, else what `read` computes in `tx`, stored under that stamp — the
    /// stamp of the snapshot it was read in, so it is never served for a newer one.
    /// `bytes` tells how much text a page holds.
    /// - Throws: `StoreError`, or what `read` throws.
    func page<Page: Sendable>(
        _ key: Key, now: Int64, in tx: DatabaseTransaction, bytes: (Page) -> Int = { _ in 4096 },
        read: () throws -> Page
    ) throws -> Page {
        try page(key, stamp: try Self.stamp(in: tx), now: now, bytes: bytes, read: read)
    }

    /// What `render` makes of the page for `key` — its markup in one language for one
    /// link, named by `rendering` — kept beside the page under the same stamp until the
    /// second `render` says its output would first differ (an elapsed time's next
    /// minute, the next day), at most `maximumAge`. The page itself is looked up or read
    /// as `page` does, only when the rendering is missing.
    /// - Throws: `StoreError`, or what `read` or `render` throws.
    func rendering<Page: Sendable, Output: Sendable>(
        _ key: Key, _ rendering: String, now: Int64, in tx: DatabaseTransaction, bytes: (Output) -> Int,
        read: () throws -> Page, render: (Page) throws -> (output: Output, validUntil: Int64)
    ) throws -> Output {
        var renderedKey = key
        renderedKey.rendering = rendering
        let stamp = try Self.stamp(in: tx)
        return try kept(renderedKey, stamp: stamp, now: now, bytes: bytes) {
            try render(try page(key, stamp: stamp, now: now, read: read))
        }
    }

    /// What `render` makes of an inquiry's thread (its timeline's markup), kept per
    /// viewer and address permission under `rendering` (the language, the message shown
    /// as HTML) and under `stamp` — the stamp of the snapshot the thread and whatever
    /// else `render` shows were read in (`stamp(in:)` in that transaction) — until the
    /// second `render` returns as the first its output would differ.
    public func rendering<Output: Sendable>(
        part: String, inquiry: Int64, revealCustomers: Bool, viewer: Int64?, rendering: String, stamp: Int64,
        now: Int64, bytes: (Output) -> Int, render: () throws -> (output: Output, validUntil: Int64)
    ) rethrows -> Output {
        var key = Key(part: part, inquiry: inquiry, revealCustomers: revealCustomers, viewer: viewer)
        key.rendering = rendering
        return try kept(key, stamp: stamp, now: now, bytes: bytes, render: render)
    }

    /// The rendering stored for `key` under `stamp`, else what `render` makes, stored
    /// while it is valid for a second at least.
    private func kept<Output: Sendable>(
        _ key: Key, stamp: Int64, now: Int64, bytes: (Output) -> Int,
        render: () throws -> (output: Output, validUntil: Int64)
    ) rethrows -> Output {
        if let output = value(key, stamp: stamp, now: now) as? Output { return output }
        let (output, until) = try render()
        if until > now { store(output, for: key, stamp: stamp, now: now, until: until, bytes: bytes(output)) }
        return output
    }

    /// The page for `key` stored under `stamp`, else what `read` computes, stored.
    private func page<Page: Sendable>(
        _ key: Key, stamp: Int64, now: Int64, bytes: (Page) -> Int = { _ in 4096 }, read: () throws -> Page
    ) throws -> Page {
        if let page = value(key, stamp: stamp, now: now) as? Page { return page }
        let page = try read()
        store(page, for: key, stamp: stamp, now: now, bytes: bytes(page))
        return page
    }

    /// The page stored for `key` under `stamp`, if younger than `maximumAge`. Readers
    /// share the lock; an aged page is left for the next store to replace.
    private func value(_ key: Key, stamp: Int64, now: Int64) -> (any Sendable)? {
        lock.reading {
            guard state.stamp == stamp, let stored = state.pages[key], now - stored.at < maximumAge, stored.at <= now,
                now < stored.until
            else { return nil }
            return stored.value
        }
    }

    /// Stores a page read at `stamp`. A page of an older stamp than the cache's is
    /// dropped; a newer stamp retires every page stored before.
    private func store(
        _ value: any Sendable, for key: Key, stamp: Int64, now: Int64, until: Int64 = .max, bytes: Int
    ) {
        guard bytes <= maximumBytes / 16 else { return }
        lock.writing {
            if stamp < state.stamp { return }
            // An aged page of the same key is replaced in place.
            let replaced = stamp == state.stamp ? state.pages[key]?.bytes : nil
            if stamp > state.stamp || (replaced == nil && state.pages.count >= capacity)
                || state.bytes - (replaced ?? 0) + bytes > maximumBytes
            {
                state.pages.removeAll(keepingCapacity: true)
                state.bytes = 0
                state.stamp = stamp
            }
            let previous = state.pages.updateValue(
                Stored(value: value, at: now, until: until, bytes: bytes), forKey: key)
            state.bytes += bytes - (previous?.bytes ?? 0)
        }
    }

    /// The pages stored now (tests, `madoguchi-web` diagnostics).
    public var count: Int { lock.reading { state.pages.count } }
}
