// SearchCommand: `madoguchi search [--json] [--limit N] [--mailbox M] QUERY`: the
// encrypted substring search (SearchIndex) with the newest N matches grouped into
// inquiries, printed like `madoguchi list`; a note on standard error when the result
// limit or the candidate cap was reached.
// SECURITY: audited before anything is printed (fail closed); the audit entry holds the
// query's bigram count and the result count, never the query text (SECURITY.md §3.2 #8).

import Foundation
import MadoguchiCore
import MadoguchiStore

/// The `search` subcommand.
public enum SearchCommand {
    /// The subcommand's usage line.
    public static let usage = "madoguchi [-nv] [--config file] search [--json] [--limit n] [--mailbox name] query"

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

    /// Runs `search`.
    /// - Parameters:
    ///   - arguments: the words after `search`.
    ///   - context: the tool context (the configuration names the instance and
    ///     `search_candidate_limit`).
    ///   - output: file descriptor for the results.
    ///   - errorOutput: file descriptor for the truncation and limit notes.
    ///   - actor: the audit actor (default `cli:<login>`).
    /// - Returns: `.ok`.
    /// - Throws: `UsageError` (no or empty query, bad `--limit`, unknown mailbox), `StoreError` (also when the
    ///   audit entry cannot be written: then nothing is printed), `CryptoError`, key errors.
    public static func run(
        arguments: [String], context: ToolContext, output: Int32 = 1, errorOutput: Int32 = 2,
        actor: String = AdminActor.current()
    ) throws -> SysExit {
        let parsed = try CommandLineParser.parse(
            arguments,
            options: [
                OptionSpec("--json"), OptionSpec("--limit", takesValue: true),
                OptionSpec("--mailbox", takesValue: true),
            ])
        guard parsed.operands.count == 1, let query = parsed.operands.first else {
            throw UsageError("search needs exactly one query (quote it if it contains spaces)")
        }
        var resultLimit: Int? = defaultResultLimit
        if let text = parsed.value("--limit") {
            guard let number = Int(text), number >= 0 else {
                throw UsageError("--limit needs a number of messages (0 for no limit)")
            }
            resultLimit = number == 0 ? nil : number
        }
        let instance = try InstanceDatabase.open(configuration: context.configuration)
        let limit = Int(clamping: max(1, context.configuration.integer("search_candidate_limit")))
        let report = try search(
            query, mailbox: parsed.value("--mailbox"), in: instance, candidateLimit: limit, resultLimit: resultLimit,
            actor: actor)
        try ListCommand.write(report.inquiries, json: parsed.has("--json"), to: output)
        if report.limited, let resultLimit {
            let note =
                "madoguchi: search: showing the inquiries of the newest \(resultLimit) matching messages;"
                + " older matches are not shown (use --limit 0 for all)\n"
            FileDescriptorWriter.writeAll(errorOutput, Array(note.utf8))
        } else if report.truncated {
            let note =
                "madoguchi: search: more than \(limit) candidates; older matches may be missing"
                + " (use a longer query or --mailbox)\n"
            FileDescriptorWriter.writeAll(errorOutput, Array(note.utf8))
        }
        return .ok
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
    ///   - actor: the audit actor.
    ///   - now: the audit time.
    /// - Throws: `UsageError` (empty query, unknown mailbox), `StoreError` (the audit
    ///   entry could not be written: the search is refused), `CryptoError`.
    public static func search(
        _ query: String, mailbox: String?, in instance: InstanceDatabase, candidateLimit: Int,
        resultLimit: Int? = nil, actor: String, now: Date = Date()
    ) throws -> Report {
        guard !SearchText.normalize(query).isEmpty else { throw UsageError("the search text is empty") }
        let index = SearchIndex(keys: instance.keys)
        // Confirmation reads thousands of blobs: memory-mapped pages spare a pread copy
        // each (about a third of the time of a capped search over 100,000 messages).
        // Set only when it differs: SQLite unmaps and remaps the file on every such pragma,
        // and a reused connection would then fault every page in again.
        let mmapSize: Int64 = 17_179_869_184
        let connection = instance.database.connection
        if try connection.scalar("PRAGMA mmap_size")?.int64Value != mmapSize {
            _ = try connection.rows("PRAGMA mmap_size = \(mmapSize)")
        }
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
        let detail = AdminOutput.auditDetail([
            "terms": report.terms, "candidates": report.candidates, "messages": report.messages,
            "results": report.inquiries.count, "truncated": report.truncated ? 1 : 0, "limited": report.limited ? 1 : 0,
        ])
        try instance.database.write { tx in
            try AuditLog.append(
                AuditEvent(
                    actor: actor, action: "search", target: mailbox.map { "mailbox:\(Log.escape($0))" },
                    detail: detail), in: tx, now: now)
        }
        return report
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
