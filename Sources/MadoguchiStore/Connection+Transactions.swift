// Connection+Transactions: `write` (BEGIN IMMEDIATE … COMMIT) and `read` (BEGIN …
// COMMIT) blocks that roll back when the body throws. Writers take the write lock
// up front so a busy database fails at BEGIN (after the busy timeout, exit 75)
// instead of deadlocking on a lock upgrade.

import CSQLite

extension Connection {
    /// Runs `body` in a write transaction: `BEGIN IMMEDIATE`, then `COMMIT`, or
    /// `ROLLBACK` if `body` throws. Transactions do not nest.
    /// - Throws: `StoreError` (SQLITE_BUSY after the busy timeout is transient),
    ///   or whatever `body` throws (after the rollback).
    @discardableResult
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        try transaction("BEGIN IMMEDIATE", body)
    }

    /// Runs `body` in a read transaction (`BEGIN DEFERRED`): one consistent snapshot.
    /// - Throws: `StoreError` or whatever `body` throws.
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try transaction("BEGIN DEFERRED", body)
    }

    /// Begins a read transaction (`BEGIN DEFERRED`) that the caller ends with
    /// `endTransaction(committing:)` (Database.sharingReads keeps one open across
    /// several reads). Transactions do not nest.
    /// - Throws: `StoreError`.
    public func beginRead() throws { try begin("BEGIN DEFERRED") }

    /// Ends the open transaction: `COMMIT` (rolled back if that fails), or `ROLLBACK`.
    /// - Throws: `StoreError` from the COMMIT.
    public func endTransaction(committing: Bool) throws {
        guard committing else { return rollback() }
        do {
            try cachedStatement("COMMIT").run()
        } catch {
            rollback()
            throw error
        }
    }

    private func transaction<T>(_ begin: String, _ body: (Connection) throws -> T) throws -> T {
        try self.begin(begin)
        let value: T
        do {
            value = try body(self)
        } catch {
            rollback()
            throw error
        }
        try endTransaction(committing: true)
        return value
    }

    private func begin(_ sql: String) throws {
        guard !isInTransaction else {
            throw SQLiteHandle.misuse("transactions do not nest", sql: sql)
        }
        // BEGIN and COMMIT as cached statements: sqlite3_exec parsed them again for
        // every transaction, two per page.
        try cachedStatement(sql).run()
    }

    private func rollback() {
        if isInTransaction {
            // The original error is what matters. A failed ROLLBACK leaves the transaction
            // open; SQLite rolls it back when the connection closes.
            _ = sqlite3_exec(handle.db, "ROLLBACK", nil, nil, nil)
        }
    }
}
