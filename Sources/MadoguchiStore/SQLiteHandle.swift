// SQLiteHandle: owns one sqlite3 handle and the write guard SQLite's authorizer consults.
// SECURITY: raw SQL may not INSERT into a table with `_enc` columns, UPDATE an `_enc`
// column, or change the schema outside a migration, so only the sealed row builder
// (DatabaseTransaction) can write ciphertext columns.

import CSQLite

/// The shared owner of a `sqlite3*`. Statements keep it alive, so the handle is
/// closed only after the last statement is finalized. Used from one thread.
final class SQLiteHandle {
    /// The C handle.
    let db: OpaquePointer
    /// Tables of the main schema that have at least one `_enc` column.
    var encryptedTables: Set<String> = []
    /// Greater than zero while the sealed row builder prepares, binds or steps
    /// its own statements.
    var sealedWriteDepth = 0
    /// True while migrations run: schema changes and raw writes are allowed.
    var schemaChangesAllowed = false
    /// Why the authorizer last refused something (for a clearer error message).
    var lastDenial: String?

    init(db: OpaquePointer) {
        self.db = db
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_set_authorizer(
            db,
            { context, action, first, second, _, _ in
                guard let context else { return SQLITE_DENY }
                let handle = Unmanaged<SQLiteHandle>.fromOpaque(context).takeUnretainedValue()
                return handle.authorize(action: action, first: first, second: second)
            }, context)
    }

    deinit {
        sqlite3_set_authorizer(db, nil, nil)
        sqlite3_close_v2(db)
    }

    /// Runs `body` with the sealed-write permission (only the row builder calls this).
    func withSealedWrites<T>(_ body: () throws -> T) rethrows -> T {
        sealedWriteDepth += 1
        defer { sealedWriteDepth -= 1 }
        return try body()
    }

    /// Runs `body` with schema changes allowed (only migrations call this).
    func withSchemaChanges<T>(_ body: () throws -> T) rethrows -> T {
        let previous = schemaChangesAllowed
        schemaChangesAllowed = true
        defer { schemaChangesAllowed = previous }
        return try body()
    }

    /// The authorizer decision for one action.
    private func authorize(action: Int32, first: UnsafePointer<CChar>?, second: UnsafePointer<CChar>?) -> Int32 {
        if schemaChangesAllowed { return SQLITE_OK }
        switch action {
        case SQLITE_INSERT:
            guard sealedWriteDepth == 0, let first else { return SQLITE_OK }
            let table = String(cString: first)
            if encryptedTables.contains(table) {
                lastDenial = "raw INSERT into \(table), which has encrypted columns; use DatabaseTransaction.insert"
                return SQLITE_DENY
            }
            return SQLITE_OK
        case SQLITE_UPDATE:
            guard sealedWriteDepth == 0, let first, let second else { return SQLITE_OK }
            let column = String(cString: second)
            if column.hasSuffix("_enc") {
                lastDenial = "raw UPDATE of \(String(cString: first)).\(column); use DatabaseTransaction.update"
                return SQLITE_DENY
            }
            return SQLITE_OK
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TABLE, SQLITE_CREATE_TRIGGER, SQLITE_CREATE_TEMP_TRIGGER,
            SQLITE_CREATE_VIEW, SQLITE_CREATE_VTABLE, SQLITE_DROP_INDEX, SQLITE_DROP_TABLE, SQLITE_DROP_TRIGGER,
            SQLITE_DROP_VIEW, SQLITE_DROP_VTABLE, SQLITE_ALTER_TABLE, SQLITE_ATTACH, SQLITE_DETACH:
            lastDenial = "schema change outside a migration"
            return SQLITE_DENY
        default:
            return SQLITE_OK
        }
    }

    /// The error for a failed call, with SQLite's message (never bound values).
    func error(_ result: Int32, sql: String?) -> StoreError {
        var message = String(cString: sqlite3_errmsg(db))
        if result & 0xFF == SQLITE_AUTH, let denial = lastDenial {
            message += ": " + denial
            lastDenial = nil
        }
        return StoreError(code: result & 0xFF, extendedCode: result, message: message, sql: sql)
    }

    /// A usage error detected by this module (not by SQLite).
    static func misuse(_ message: String, sql: String? = nil) -> StoreError {
        StoreError(code: SQLITE_MISUSE, message: message, sql: sql)
    }
}
