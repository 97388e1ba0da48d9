// Connection: one SQLite connection for one thread, opened with WAL, synchronous=FULL,
// foreign keys, secure_delete, defensive mode, untrusted schema and a busy timeout.
// SECURITY: a new database file is created 0600 before SQLite opens it; SQLite gives
// the -wal and -shm files the database file's mode.

import CSQLite
import Glibc
import MadoguchiCore

/// A SQLite connection. Not thread-safe: use it from one thread; it closes in deinit.
public final class Connection {
    /// Connection settings.
    public struct Configuration: Sendable {
        /// How long to wait for another connection's lock before SQLITE_BUSY, in milliseconds
        /// (`database_busy_timeout`, default 10 s).
        public var busyTimeoutMilliseconds: Int32

        /// Creates settings.
        public init(busyTimeoutMilliseconds: Int32 = 10_000) {
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        }

        /// Settings from madoguchi.conf (`database_busy_timeout`).
        public init(_ configuration: MadoguchiCore.Configuration) {
            let milliseconds = configuration[.databaseBusyTimeout] * 1000
            busyTimeoutMilliseconds = milliseconds < Double(Int32.max) ? Int32(milliseconds) : Int32.max
        }
    }

    /// The database file path.
    public let path: String
    let handle: SQLiteHandle
    private var cache: [String: Statement] = [:]
    /// Statements of the sealed row builder, authorized in sealed mode. Kept apart from
    /// `cache` so raw SQL with the same text can never reuse one.
    private var sealedCache: [String: Statement] = [:]

    /// The linked SQLite version as a number (3.40.1 is 3040001), to choose FTS5 features.
    public static var sqliteVersionNumber: Int32 { sqlite3_libversion_number() }

    /// Turns off SQLite's memory statistics before its first use. Every allocation of
    /// every connection took one process-wide mutex to count them; with forty
    /// connections serving pages at once, threads slept on it (off-CPU stacks under
    /// web.sh's search: some 1,300 waits in 3 s). Nothing reads the statistics. After
    /// SQLite has been initialized the call is refused (SQLITE_MISUSE) and changes
    /// nothing.
    private static let withoutMemoryStatistics: Int32 = csqlite_config_int(SQLITE_CONFIG_MEMSTATUS, 0)

    /// The linked SQLite version as text, e.g. "3.40.1".
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }

    /// Opens (and if needed creates, mode 0600) a database and applies the standard settings.
    /// - Parameters:
    ///   - path: the database file.
    ///   - configuration: busy timeout.
    /// - Throws: `SystemError` if the file cannot be created, `StoreError` if SQLite fails
    ///   (e.g. SQLITE_BUSY when WAL cannot be enabled within the busy timeout).
    public init(path: String, configuration: Configuration = Configuration()) throws {
        self.path = path
        _ = Connection.withoutMemoryStatistics
        try Connection.createPrivateFile(path)
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let result = sqlite3_open_v2(path, &db, flags, nil)
        guard result == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw StoreError(code: result & 0xFF, extendedCode: result, message: "open \(path): \(message)")
        }
        handle = SQLiteHandle(db: db)
        try configure(configuration)
        try refreshEncryptedTables()
    }

    /// Creates the file with mode 0600 if it does not exist, so SQLite (and its -wal/-shm
    /// files, which copy the database file's mode) never uses the umask-derived 0644.
    private static func createPrivateFile(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return
        }
        if errno != EEXIST { throw SystemError.current("create \(path)") }
    }

    private func configure(_ configuration: Configuration) throws {
        sqlite3_busy_timeout(handle.db, configuration.busyTimeoutMilliseconds)
        for (option, value) in [
            (SQLITE_DBCONFIG_DEFENSIVE, 1), (SQLITE_DBCONFIG_DQS_DDL, 0), (SQLITE_DBCONFIG_DQS_DML, 0),
            (SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0), (SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0),
        ] {
            var applied: Int32 = -1
            let result = csqlite_db_config_int(handle.db, option, Int32(value), &applied)
            guard result == SQLITE_OK, applied == Int32(value) else {
                throw SQLiteHandle.misuse("sqlite3_db_config(\(option)) not applied")
            }
        }
        let mode = try rows("PRAGMA journal_mode=WAL").first?.string("journal_mode")
        guard mode == "wal" else {
            throw StoreError(code: SQLITE_CANTOPEN, message: "cannot enable WAL (journal_mode is \(mode ?? "?"))")
        }
        try execute(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA trusted_schema=OFF;")
    }

    /// Re-reads which tables have `_enc` columns (after a migration).
    func refreshEncryptedTables() throws {
        let names = try rows(
            """
            SELECT DISTINCT m.name AS name FROM sqlite_schema AS m, pragma_table_info(m.name) AS c
            WHERE m.type = 'table' AND c.name LIKE '%\\_enc' ESCAPE '\\'
            """
        ).compactMap { $0.string("name") }
        handle.encryptedTables = Set(names)
    }

    // MARK: Statements

    /// Prepares a single statement.
    /// - Throws: `StoreError` for a syntax error, a refused write, or more than one statement.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(handle: handle, sql: sql, persistent: false)
    }

    /// A prepared statement from the per-connection cache (keyed by SQL text), reset and
    /// with its bindings cleared. Do not use the same SQL text in nested loops.
    /// - Throws: `StoreError`.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = cache[sql] {
            statement.clearBindings()
            return statement
        }
        let statement = try Statement(handle: handle, sql: sql, persistent: true)
        cache[sql] = statement
        return statement
    }

    /// A cached statement of the sealed row builder, prepared with sealed writes allowed.
    func sealedStatement(_ sql: String) throws -> Statement {
        if let statement = sealedCache[sql] {
            statement.clearBindings()
            return statement
        }
        let statement = try handle.withSealedWrites { try Statement(handle: handle, sql: sql, persistent: true) }
        sealedCache[sql] = statement
        return statement
    }

    /// True if the linked SQLite was compiled with an option, e.g. `ENABLE_FTS5`.
    public static func hasCompileOption(_ name: String) -> Bool {
        sqlite3_compileoption_used(name) == 1
    }

    /// Runs a script of one or more statements without bindings (DDL, pragmas).
    /// - Throws: `StoreError`.
    public func execute(_ sql: String) throws {
        let result = sqlite3_exec(handle.db, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw handle.error(result, sql: sql) }
    }

    /// Runs one statement with bindings (cached), ignoring any rows.
    /// - Returns: the number of rows changed.
    /// - Throws: `StoreError`.
    @discardableResult
    public func run(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        try statement.run()
        return Int(sqlite3_changes64(handle.db))
    }

    /// Runs one query with bindings (cached) and returns every row.
    /// - Throws: `StoreError`.
    public func rows(_ sql: String, _ arguments: [SQLValue] = []) throws -> [Row] {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        return try statement.rows()
    }

    /// The first column of the first row, or nil when there is no row.
    /// - Throws: `StoreError`.
    public func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws -> SQLValue? {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        return try statement.step() ? statement.value(at: 0) : nil
    }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle.db) }

    /// True while a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle.db) == 0 }

    /// True while this connection holds the write lock (inside `write`).
    public var isInWriteTransaction: Bool { sqlite3_txn_state(handle.db, nil) == SQLITE_TXN_WRITE }
}
