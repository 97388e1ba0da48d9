// ScanAndFile+Tokens: search tokens made on the scanning threads, outside the write
// transaction. Each thread borrows a SearchIndex (HMAC contexts are not thread-safe)
// from a pool; token keys are per mailbox id, taken from a copy of the `mailboxes`
// table, so mail for a mailbox not created yet gets no tokens here and the filer
// makes them in its transaction (then the copy is reloaded).
// SECURITY: only keyed HMAC tokens leave these threads, never text.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

extension ScanAndFile {
    /// Makes search tokens from any thread. `@unchecked Sendable`: its mutable state is
    /// touched only under `lock`; a borrowed SearchIndex is used by one thread at a time.
    /// A `Mutex` cannot hold the pool: SearchIndex is not Sendable (its HMAC contexts are
    /// not thread-safe), and region checking refuses to take back into a Mutex a value a
    /// lane has used, although the pool lends each one to a single lane at a time.
    final class Tokens: @unchecked Sendable {
        private let keys: KeyRing
        private let lock = NSLock()
        private var mailboxIDs: [String: Int64] = [:]
        private var idle: [SearchIndex] = []

        init(keys: KeyRing) { self.keys = keys }

        /// Reloads the mailbox ids (at the start, and after filing created a mailbox).
        /// - Throws: `StoreError`.
        func loadMailboxes(from database: Database) throws {
            let rows = try database.read { try $0.rows("SELECT id, name FROM mailboxes") }
            var ids: [String: Int64] = [:]
            for row in rows {
                if let id = row.int64("id"), let name = row.string("name") { ids[name] = id }
            }
            lock.withLock { mailboxIDs = ids }
        }

        /// Whether the database had the mailbox `name` when the ids were last loaded.
        func knows(_ name: String) -> Bool {
            lock.withLock { mailboxIDs[name] != nil }
        }

        /// The tokens of a parsed message for the mailbox it will be filed in; nil when
        /// that mailbox has no id yet.
        /// - Throws: `CryptoError`.
        func make(for message: ParsedMessage, mailbox: String) throws -> IndexTokens? {
            guard let mailboxID = lock.withLock({ mailboxIDs[mailbox] }) else { return nil }
            let index = lock.withLock { idle.popLast() } ?? SearchIndex(keys: keys)
            defer { lock.withLock { idle.append(index) } }
            return try index.tokens(
                subject: message.subject,
                body: SearchIndex.searchableBody(text: message.textBody, html: message.htmlBody), mailboxID: mailboxID)
        }
    }
}
