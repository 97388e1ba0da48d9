// Connection+Migrations: brings a database to this program's schema version.
// Each pending migration runs in its own BEGIN IMMEDIATE transaction together with
// its `schema_migrations` row, so concurrent programs apply it exactly once and a
// failed migration leaves nothing behind. A newer database is refused.

import Foundation

extension Connection {
    /// The version recorded in `schema_migrations` (0 for a new database).
    /// - Throws: `StoreError`.
    public func schemaVersion() throws -> Int {
        let exists = try scalar("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
        guard exists != nil else { return 0 }
        return Int(try scalar("SELECT coalesce(max(version), 0) FROM schema_migrations")?.int64Value ?? 0)
    }

    /// Applies every migration not yet recorded, in order.
    /// - Parameters:
    ///   - migrations: the program's migrations, numbered 1…n.
    ///   - now: Unix time recorded as `applied_at`.
    /// - Returns: the numbers applied by this call (empty when up to date).
    /// - Throws: `MigrationError.databaseNewer` if the database has a version above n,
    ///   `.nameMismatch` if a recorded name differs, `StoreError` if SQL fails (that
    ///   migration is rolled back; earlier ones stay applied).
    @discardableResult
    public func migrate(_ migrations: [Migration] = Migration.all, now: Int64 = Int64(Date().timeIntervalSince1970))
        throws -> [Int]
    {
        for (offset, migration) in migrations.enumerated() where migration.number != offset + 1 {
            throw MigrationError.invalidList("migration \(migration.name) has number \(migration.number)")
        }
        // Fast path without the write lock, so programs start while another one writes.
        let upToDate = try read { db in
            try db.schemaVersion() == 0 ? false : try db.checkRecorded(migrations) == migrations.count
        }
        if upToDate {
            try refreshEncryptedTables()
            return []
        }
        var applied: [Int] = []
        try handle.withSchemaChanges {
            try write { db in
                try db.execute(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version INTEGER PRIMARY KEY CHECK (version > 0),
                        name TEXT NOT NULL CHECK (length(name) > 0),
                        applied_at INTEGER NOT NULL
                    );
                    """)
                try db.checkRecorded(migrations)
            }
            for migration in migrations {
                try write { db in
                    // Re-check under the write lock: another program may have just applied it.
                    if try db.scalar("SELECT name FROM schema_migrations WHERE version = ?", [.int(migration.number)])
                        != nil
                    {
                        return
                    }
                    try db.checkRecorded(migrations)
                    try db.execute(migration.sql)
                    try db.run(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        [.int(migration.number), .text(migration.name), .integer(now)])
                    try db.execute("PRAGMA user_version = \(migration.number)")
                    applied.append(migration.number)
                }
            }
        }
        try refreshEncryptedTables()
        return applied
    }

    /// Refuses a database with unknown or renamed migrations.
    /// - Returns: how many migrations are recorded.
    @discardableResult
    private func checkRecorded(_ migrations: [Migration]) throws -> Int {
        var count = 0
        for row in try rows("SELECT version, name FROM schema_migrations ORDER BY version") {
            let version = Int(row.int64("version") ?? 0)
            guard version <= migrations.count else {
                let newest = Int(try scalar("SELECT max(version) FROM schema_migrations")?.int64Value ?? 0)
                throw MigrationError.databaseNewer(databaseVersion: newest, programVersion: migrations.count)
            }
            let recorded = row.string("name") ?? ""
            let expected = migrations[version - 1].name
            guard recorded == expected else {
                throw MigrationError.nameMismatch(version: version, recorded: recorded, expected: expected)
            }
            count += 1
        }
        return count
    }
}
