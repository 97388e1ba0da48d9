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

    private func transaction<T>(_ begin: String, _ body: (Connection) throws -> T) throws -> T {
        guard !isInTransaction else {
            throw SQLiteHandle.misuse("transactions do not nest", sql: begin)
        }
        // BEGIN and COMMIT as cached statements: sqlite3_exec parsed them again for
        // every transaction, two per page.
        try cachedStatement(begin).run()
        let value: T
        do {
            value = try body(self)
            try cachedStatement("COMMIT").run()
        } catch {
            if isInTransaction {
                // The original error is what matters. A failed ROLLBACK leaves the transaction
                // open; SQLite rolls it back when the connection closes.
                _ = sqlite3_exec(handle.db, "ROLLBACK", nil, nil, nil)
            }
            throw error
        }
        return value
    }
}
