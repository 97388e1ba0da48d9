// SearchIndex: the encrypted substring search of madoguchi-security(7) SEARCH INDEX
// over the contentless FTS5 table `message_search` (rowid = messages.id): NFKC bigrams
// → truncated HMAC tokens with a key per mailbox and field; a query matches tokens,
// then every candidate is decrypted and the normalised substring confirmed in memory.
// SECURITY: the index holds tokens only; queries are never logged; SQLite 3.40 has no
// contentless_delete, so removal re-supplies the row's original tokens.

import MadoguchiCore
import MadoguchiCrypto
import MadoguchiStore

/// Indexes and searches message subjects and bodies. Not thread-safe (keeps one HMAC
/// context per mailbox and field).
public final class SearchIndex {
    /// The two indexed fields, named as the FTS5 columns.
    public static let fields = ["subject", "body"]

    private let keys: KeyRing
    private var tokenizers: [String: SearchTokenizer] = [:]

    /// Creates an index over the key ring's search keys.
    public init(keys: KeyRing) { self.keys = keys }

    /// The text indexed (and confirmed) as a message's body: the text part, or else the
    /// text of the HTML part.
    public static func searchableBody(text: String?, html: String?) -> String? {
        if let text, !text.isEmpty { return text }
        return html.map(HTMLText.plain)
    }

    /// Adds one message; call in the transaction that inserts it.
    /// - Throws: `StoreError`, `CryptoError`.
    public func add(
        messageID: Int64, mailboxID: Int64, subject: String?, body: String?, in tx: DatabaseTransaction
    ) throws {
        try add(tokens(subject: subject, body: body, mailboxID: mailboxID), messageID: messageID, in: tx)
    }

    /// The tokens of a message's subject and body (`searchableBody`) for a mailbox;
    /// needs no database, so it can run before (and outside) the write transaction.
    /// - Throws: `CryptoError`.
    public func tokens(subject: String?, body: String?, mailboxID: Int64) throws -> IndexTokens {
        IndexTokens(
            mailboxID: mailboxID, subject: try tokens(subject, mailboxID: mailboxID, field: "subject"),
            body: try tokens(body, mailboxID: mailboxID, field: "body"))
    }

    /// Adds one message with tokens made by `tokens(subject:body:mailboxID:)` for the
    /// mailbox it is filed in; call in the transaction that inserts it.
    /// - Throws: `StoreError`.
    public func add(_ tokens: IndexTokens, messageID: Int64, in tx: DatabaseTransaction) throws {
        _ = try tx.run(
            "INSERT INTO message_search (rowid, subject, body) VALUES (?, ?, ?)",
            [.integer(messageID), .text(tokens.subject), .text(tokens.body)])
    }

    /// Removes one message. `subject` and `body` must be exactly what was added (the
    /// decrypted fields): wrong tokens would corrupt the contentless index.
    /// - Throws: `StoreError`, `CryptoError`.
    public func remove(
        messageID: Int64, mailboxID: Int64, subject: String?, body: String?, in tx: DatabaseTransaction
    ) throws {
        let tokens = try tokens(subject: subject, body: body, mailboxID: mailboxID)
        _ = try tx.run(
            "INSERT INTO message_search (message_search, rowid, subject, body) VALUES ('delete', ?, ?, ?)",
            [.integer(messageID), .text(tokens.subject), .text(tokens.body)])
    }

    /// Finds messages whose subject or body contains `query` (after normalisation).
    /// The index gives the newest `candidateLimit` candidates of all searched mailboxes
    /// in one FTS5 query (`ORDER BY rowid DESC LIMIT`, which FTS5 answers without
    /// collecting and sorting every match); each is decrypted and confirmed, subject
    /// first, body only if needed. A query without an indexable bigram (one character,
    /// or digits only) is answered by decrypting the newest `candidateLimit` messages.
    /// Candidates are confirmed newest first, so with a `resultLimit` the search stops
    /// once that many matches are confirmed: the newest matches, each one exact, and
    /// `limited` set if unchecked candidates remain.
    /// - Parameters:
    ///   - mailboxIDs: the mailboxes to search; nil for all.
    ///   - candidateLimit: at most this many candidates (in total) are decrypted.
    ///   - resultLimit: stop after this many confirmed matches (at least 1); nil for no limit.
    /// - Throws: `SearchError.emptyQuery`, `StoreError`, `CryptoError`.
    public func search(
        _ query: String, mailboxIDs: [Int64]? = nil, candidateLimit: Int, resultLimit: Int? = nil,
        in tx: DatabaseTransaction
    ) throws -> SearchOutcome {
        let found = try candidates(query, mailboxIDs: mailboxIDs, candidateLimit: candidateLimit, in: tx)
        var outcome = SearchOutcome(
            messageIDs: [], candidates: 0, truncated: found.truncated, limited: false, terms: found.terms)
        let wanted = resultLimit.map { max(1, $0) } ?? Int.max
        for id in found.ids {
            if outcome.messageIDs.count >= wanted {
                outcome.limited = true
                break
            }
            outcome.candidates += 1
            if try confirm(id, found, in: tx) { outcome.messageIDs.append(id) }
        }
        outcome.messageIDs.sort(by: >)
        return outcome
    }

    /// What the index offers for a query, before any decryption: the candidate message
    /// ids, newest first, and what confirming one needs.
    struct Candidates {
        /// The normalised query.
        var needle: [Unicode.Scalar]
        /// At most the candidate limit of ids, newest first.
        var ids: [Int64]
        /// Whether the index had more candidates than the limit.
        var truncated: Bool
        /// Index terms of the query (0 for a scan).
        var terms: Int
        /// The searched mailboxes: a candidate filed elsewhere (a token collision) is no match.
        var mailboxes: Set<Int64>
    }

    /// The newest `candidateLimit` candidates of the searched mailboxes in one FTS5 query
    /// (`ORDER BY rowid DESC LIMIT`, which FTS5 answers without collecting and sorting
    /// every match), or for a query without an indexable bigram the newest messages.
    /// - Throws: `SearchError.emptyQuery`, `StoreError`, `CryptoError`.
    func candidates(_ query: String, mailboxIDs: [Int64]?, candidateLimit: Int, in tx: DatabaseTransaction) throws
        -> Candidates
    {
        let needle = SearchText.normalize(query)
        guard !needle.isEmpty else { throw SearchError.emptyQuery }
        let bigrams = needle.count == 1 ? [] : SearchText.packedBigrams(of: needle)
        let mailboxes = try mailboxIDs ?? tx.rows("SELECT id FROM mailboxes ORDER BY id").compactMap { $0.int64("id") }
        var found = Candidates(
            needle: needle, ids: [], truncated: false, terms: bigrams.count, mailboxes: Set(mailboxes))
        guard !mailboxes.isEmpty else { return found }
        let limit = SQLValue.integer(Int64(max(0, candidateLimit)) + 1)
        if bigrams.isEmpty {
            found.ids = try Self.ids(
                "SELECT id FROM messages WHERE mailbox_id IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT ?",
                [.idList(mailboxes), limit], in: tx)
        } else {
            // Each mailbox has its own tokens, so one OR over the mailboxes' expressions
            // finds exactly their messages (a truncated-token collision with another
            // mailbox's message is dropped in `confirm`).
            let expression = try mailboxes.map { "(" + (try matchExpression(bigrams, mailboxID: $0)) + ")" }
                .joined(separator: " OR ")
            found.ids = try Self.ids(
                "SELECT rowid FROM message_search WHERE message_search MATCH ? ORDER BY rowid DESC LIMIT ?",
                [.text(expression), limit], in: tx)
        }
        if found.ids.count > candidateLimit {
            found.truncated = true
            found.ids.removeLast(found.ids.count - max(0, candidateLimit))
        }
        return found
    }

    /// `("t1" AND "t2") OR ("u1" AND "u2")`: subject tokens, then body tokens. No column
    /// filter is needed (and `detail=none` allows none): each field has its own key, so
    /// a subject token never occurs in the body column. Tokens are hex, so the query
    /// text can never inject FTS5 syntax.
    private func matchExpression(_ bigrams: [UInt64], mailboxID: Int64) throws -> String {
        try Self.fields.map { field in
            "(\"" + (try tokens(bigrams, mailboxID: mailboxID, field: field, separator: "\" AND \"")) + "\")"
        }.joined(separator: " OR ")
    }

    /// The first column of every row, read through the cached statement: thousands of
    /// candidate ids, without a `Row` (a dictionary) made for each.
    private static func ids(_ sql: String, _ arguments: [SQLValue], in tx: DatabaseTransaction) throws -> [Int64] {
        let statement = try tx.statement(sql)
        try statement.bind(arguments)
        var ids: [Int64] = []
        try statement.forEachRow { ids.append($0.int64(at: 0)) }
        return ids
    }

    /// The row read per candidate (through a cached statement, without materializing a `Row`).
    private static let confirmSQL = "SELECT mailbox_id, subject_enc, text_body_enc FROM messages WHERE id = ?"

    /// Decrypts the subject, then (only if that does not match) the text body, then (only
    /// if there is no text body) the HTML body, and looks for the needle: whether candidate
    /// `id` of `found` is a match.
    /// - Throws: `StoreError`, `CryptoError`.
    func confirm(_ id: Int64, _ found: Candidates, in tx: DatabaseTransaction) throws -> Bool {
        let needle = found.needle
        let row = try tx.statement(Self.confirmSQL)
        row.reset()
        try row.bind(.integer(id), at: 1)
        defer { row.reset() }
        guard try row.step(), found.mailboxes.contains(row.int64(at: 0)) else { return false }
        if let subject = try tx.open(row.value(at: 1), table: "messages", column: "subject_enc", row: id),
            SearchText.contains(utf8: subject, normalizedNeedle: needle)
        {
            return true
        }
        if let text = try tx.open(row.value(at: 2), table: "messages", column: "text_body_enc", row: id),
            !text.isEmpty
        {
            return SearchText.contains(utf8: text, normalizedNeedle: needle)
        }
        row.reset()
        // The HTML body (often far larger than the text) is read only for HTML-only mail.
        let html = try tx.fetch("messages", id: id, columns: ["html_body_enc"])?.string("html_body_enc")
        return Self.searchableBody(text: nil, html: html).map { SearchText.contains($0, normalizedNeedle: needle) }
            ?? false
    }

    private func tokens(_ text: String?, mailboxID: Int64, field: String) throws -> String {
        guard let text, !text.isEmpty else { return "" }
        return try tokens(
            SearchText.packedBigrams(of: SearchText.normalize(text)), mailboxID: mailboxID, field: field,
            separator: " ")
    }

    /// The tokens of packed bigrams, joined by `separator` (a space for the index, the
    /// AND of quoted terms for a query): the one place tokens are made.
    private func tokens(_ bigrams: [UInt64], mailboxID: Int64, field: String, separator: StaticString) throws
        -> String
    {
        let tokenizer = try tokenizer(mailboxID: mailboxID, field: field)
        var output: [UInt8] = []
        output.reserveCapacity(bigrams.count * (SearchTokenizer.tokenLength + separator.utf8CodeUnitCount))
        for bigram in bigrams {
            if !output.isEmpty { separator.withUTF8Buffer { output.append(contentsOf: $0) } }
            try SearchText.withUTF8(bigram) { try tokenizer.appendToken(utf8: $0, to: &output) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private func tokenizer(mailboxID: Int64, field: String) throws -> SearchTokenizer {
        let name = "\(mailboxID)|\(field)"
        if let cached = tokenizers[name] { return cached }
        let made = try keys.searchTokenizer(mailbox: String(mailboxID), field: field)
        tokenizers[name] = made
        return made
    }
}
