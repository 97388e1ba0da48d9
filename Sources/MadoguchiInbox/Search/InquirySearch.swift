// InquirySearch: the encrypted substring search (SearchIndex) with the newest matching
// messages grouped into their inquiries — what `madoguchi search` and the web page show.
// SECURITY: audited before anything is returned (fail closed); the audit entry holds the
// query's bigram count and the result counts, never the query text (madoguchi-security(7),
// search-index leakage).

import Foundation
import MadoguchiCore
import MadoguchiStore

/// Searches inquiries.
public enum InquirySearch {
    /// Matching messages shown without `--limit`: confirming and summarising only the
    /// newest matches keeps a common word fast (the candidate cap alone decrypts
    /// thousands of messages and loads an inquiry summary for each).
    public static let defaultResultLimit = 200

    /// What one search found.
    public struct Report: Sendable, Equatable {
        /// Matching inquiries, newest activity first.
        public var inquiries: [InquirySummary]
        /// Matching messages.
        public var messages: Int
        /// Index candidates decrypted to confirm the matches.
        public var candidates: Int
        /// Whether the candidate cap was reached (older matches may be missing).
        public var truncated: Bool
        /// Whether the search stopped at the result limit (older matches may be missing).
        public var limited: Bool
        /// Bigram terms of the query (what the audit log records instead of the text).
        public var terms: Int
    }

    /// Searches, groups the matching messages into inquiries and commits the audit entry
    /// (action `search`, detail `{"candidates":…,"limited":…,"messages":…,"results":…,"terms":…,"truncated":…}`)
    /// before returning anything.
    /// - Parameters:
    ///   - query: the search text.
    ///   - mailbox: only this mailbox (by name); nil for all.
    ///   - instance: the open instance.
    ///   - candidateLimit: most candidates decrypted (over all searched mailboxes).
    ///   - resultLimit: only the newest this many matching messages (at least 1) are
    ///     confirmed and their inquiries loaded; nil for every match within the cap.
    ///   - actor: who searches (audited with the session reference and address, if any).
    ///   - mapDatabase: memory-map the database file for the confirmation reads (one
    ///     process with one connection); false for the web server, whose pool of
    ///     connections would each map the file and count its pages again.
    ///   - now: the audit time.
    /// - Throws: `SearchError.emptyQuery`, `InquiryError.unknownMailbox`, `StoreError` (the audit
    ///   entry could not be written: the search is refused), `CryptoError`.
    public static func run(
        _ query: String, mailbox: String?, in instance: InstanceDatabase, candidateLimit: Int,
        resultLimit: Int? = nil, actor: AccessActor, mapDatabase: Bool = true, now: Date = Date()
    ) throws -> Report {
        guard !SearchText.normalize(query).isEmpty else { throw SearchError.emptyQuery }
        let index = SearchIndex(keys: instance.keys)
        try setMapping(mapDatabase, on: instance.database.connection)
        let report = try instance.database.read { tx -> Report in
            let mailboxIDs = try mailbox.map { [try InquirySummary.mailboxID(named: $0, in: tx)] }
            let outcome = try index.search(
                query, mailboxIDs: mailboxIDs, candidateLimit: candidateLimit, resultLimit: resultLimit, in: tx)
            let inquiryIDs = try inquiries(of: outcome.messageIDs, in: tx)
            return Report(
                inquiries: try InquirySummary.load(ids: inquiryIDs, in: tx), messages: outcome.messageIDs.count,
                candidates: outcome.candidates, truncated: outcome.truncated, limited: outcome.limited,
                terms: outcome.terms)
        }
        try audit(
            actor: actor, mailbox: mailbox, now: now,
            counts: [
                "terms": report.terms, "candidates": report.candidates, "messages": report.messages,
                "results": report.inquiries.count, "truncated": report.truncated ? 1 : 0,
                "limited": report.limited ? 1 : 0,
            ], in: instance)
        return report
    }

    /// Sets `mmap_size` for the confirmation reads: mapped pages spare a pread copy each
    /// (about a third of the time of a capped search over 100,000 messages). Set only
    /// when it differs: SQLite unmaps and remaps the file on every such pragma, and a
    /// reused connection would then fault every page in again.
    static func setMapping(_ mapDatabase: Bool, on connection: Connection) throws {
        let mmapSize: Int64 = mapDatabase ? 17_179_869_184 : 0
        if try connection.scalar("PRAGMA mmap_size")?.int64Value != mmapSize {
            _ = try connection.rows("PRAGMA mmap_size = \(mmapSize)")
        }
    }

    /// Commits the search's audit entry (fail closed: the caller returns nothing if this
    /// throws). In a server the entry joins the group commit of the other requests'
    /// entries (`Database.writeGrouped`): one transaction per search held every search
    /// behind its own fsync.
    static func audit(
        actor: AccessActor, mailbox: String?, now: Date, counts: [String: Int], in instance: InstanceDatabase
    ) throws {
        let event = actor.event(
            .search, target: mailbox.map { "mailbox:\(Log.escape($0))" }, detail: AuditDetail.counts(counts))
        try instance.database.writeGrouped { tx in try AuditLog.append(event, in: tx, now: now) }
    }

    /// The inquiries the messages belong to.
    private static func inquiries(of messageIDs: [Int64], in tx: DatabaseTransaction) throws -> [Int64] {
        if messageIDs.isEmpty { return [] }
        return try tx.rows(
            "SELECT DISTINCT inquiry_id FROM messages WHERE id IN (SELECT value FROM json_each(?))",
            [.idList(messageIDs)]
        ).compactMap { $0.int64("inquiry_id") }
    }
}
