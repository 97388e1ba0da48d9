// Connection: settings really applied, file modes, typed binding, busy handling,
// rollback and snapshot isolation against a real SQLite file.

import CSQLite
import Foundation
import Glibc
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@testable import MadoguchiStore

@Suite struct ConnectionTests {
    @Test("every pragma and defensive setting is really in effect")
    func pragmas() throws {
        let temp = try TemporaryDatabase(busyTimeoutMilliseconds: 1234)
        let connection = try temp.connection()
        #expect(try connection.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(try connection.scalar("PRAGMA synchronous") == .integer(2))  // FULL
        #expect(try connection.scalar("PRAGMA foreign_keys") == .integer(1))
        #expect(try connection.scalar("PRAGMA secure_delete") == .integer(1))
        #expect(try connection.scalar("PRAGMA trusted_schema") == .integer(0))
        #expect(try connection.scalar("PRAGMA busy_timeout") == .integer(1234))
        for option in [SQLITE_DBCONFIG_DEFENSIVE, SQLITE_DBCONFIG_DQS_DML, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION] {
            var value: Int32 = -1
            #expect(csqlite_db_config_int(connection.handle.db, option, -1, &value) == SQLITE_OK)
            #expect(value == (option == SQLITE_DBCONFIG_DEFENSIVE ? 1 : 0))
        }
        // Defensive mode: even with writable_schema the schema table cannot be edited.
        try connection.execute("CREATE TEMP TABLE probe (x)")
        try connection.execute("PRAGMA writable_schema = ON")
        #expect(throws: StoreError.self) {
            try connection.execute("UPDATE sqlite_temp_schema SET sql = 'CREATE TABLE probe (y)'")
        }
    }

    @Test("the busy timeout comes from database_busy_timeout")
    func busyTimeoutFromConfiguration() throws {
        let config = try MadoguchiCore.Configuration.parse(
            "database_busy_timeout = 3s\n", path: "test.conf", baseDirectory: "/")
        #expect(Connection.Configuration(config).busyTimeoutMilliseconds == 3000)
        #expect(Connection.Configuration(.defaults).busyTimeoutMilliseconds == 10_000)
        let huge = try MadoguchiCore.Configuration.parse(
            "database_busy_timeout = 999999999999999999s\n", path: "test.conf", baseDirectory: "/")
        #expect(Connection.Configuration(huge).busyTimeoutMilliseconds == Int32.max)
    }

    @Test("a new database and its -wal and -shm files are mode 0600")
    func fileModes() throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        try database.connection.write { db in
            try db.run("INSERT INTO settings (name, value, updated_at) VALUES ('x', 'y', 1)")
        }
        for suffix in ["", "-wal", "-shm"] {
            var info = stat()
            #expect(stat(temp.path + suffix, &info) == 0, "\(suffix) exists")
            #expect(info.st_mode & 0o777 == 0o600, "mode of \(suffix.isEmpty ? "db" : suffix)")
        }
    }

    @Test("the SQLite version is exposed for FTS5 feature choices")
    func version() {
        #expect(Connection.sqliteVersionNumber >= 3_040_000)
        #expect(Connection.sqliteVersion.hasPrefix("3."))
    }

    @Test(
        "values bind and read back with their types",
        arguments: [
            SQLValue.null, .integer(0), .integer(Int64.min), .integer(Int64.max), .real(-1.5), .text(""),
            .text("請求書の再発行 ﾊﾟｽﾜｰﾄﾞ ①㈱ 🍣"), .text("nul\u{0}inside"), .blob([]), .blob([0, 1, 2, 255]),
        ])
    func bindAndRead(value: SQLValue) throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.connection()
        try connection.execute("CREATE TEMP TABLE t (v)")
        try connection.run("INSERT INTO t (v) VALUES (?)", [value])
        let row = try #require(try connection.rows("SELECT v, typeof(v) AS type FROM t").first)
        #expect(row["v"] == value)
        let expectedType =
            switch value {
            case .null: "null"
            case .integer: "integer"
            case .real: "real"
            case .text: "text"
            case .blob: "blob"
            }
        #expect(row.string("type") == expectedType)
    }

    @Test("a 4 MB blob round-trips")
    func largeBlob() throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.connection()
        try connection.execute("CREATE TEMP TABLE t (v)")
        let big = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try connection.run("INSERT INTO t (v) VALUES (?)", [.blob(big)])
        let back = try #require(try connection.scalar("SELECT v FROM t")?.blobValue)
        #expect(back.count == big.count)
        #expect(back == big, "content equal")
    }

    @Test("a failed statement reports code, message and SQL but never the bound values")
    func errorsCarryNoValues() throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        let secret = "yamada.taro@example.co.jp"
        let error = try #require(throws: StoreError.self) {
            // A table without `_enc` columns, which raw SQL may insert into (migration 9 gave
            // `mailboxes` one: the authorizer refuses a raw insert there before any constraint).
            try database.connection.run(
                "INSERT INTO inquiry_counts (mailbox_id, status, n) VALUES (?, NULL, 0)", [.text(secret)])
        }
        #expect(error.code == SQLITE_CONSTRAINT)
        #expect(error.extendedCode == SQLITE_CONSTRAINT | (5 << 8))  // SQLITE_CONSTRAINT_NOTNULL (a compound macro)
        #expect(error.sql?.contains("INSERT INTO inquiry_counts") == true)
        #expect(!error.description.contains(secret))
        #expect(!error.message.contains(secret))
    }

    @Test("more than one statement is refused by prepare")
    func oneStatement() throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.connection()
        let error = try #require(throws: StoreError.self) { try connection.prepare("SELECT 1; SELECT 2") }
        #expect(error.code == SQLITE_MISUSE)
    }

    @Test(
        "a write blocked past the busy timeout is a transient error that exits 75", .timeLimit(.minutes(1)),
        .blocksThreads)
    func busy() throws {
        let temp = try TemporaryDatabase()
        let holder = try temp.connection()
        let waiter = try temp.connection(busyTimeoutMilliseconds: 200)
        try holder.execute("BEGIN IMMEDIATE")
        defer { _ = sqlite3_exec(holder.handle.db, "ROLLBACK", nil, nil, nil) }
        let start = Monotonic.now()
        let error = try #require(throws: StoreError.self) {
            try waiter.write { _ in }
        }
        let waited = Monotonic.now() - start
        #expect(error.code == SQLITE_BUSY)
        #expect(error.isTransient)
        #expect(error.effectiveExitCode == .tempFail)
        #expect(exitCode(for: error) == .tempFail)
        #expect(waited >= 0.15, "waited for the busy timeout")
        #expect(!waiter.isInTransaction)
    }

    @Test("a write transaction rolls back when its body throws")
    func rollback() throws {
        struct Abort: Error {}
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        let connection = database.connection
        #expect(throws: Abort.self) {
            try connection.write { db in
                try db.run("INSERT INTO settings (name, value, updated_at) VALUES ('a', 'b', 1)")
                #expect(db.isInWriteTransaction)
                throw Abort()
            }
        }
        #expect(!connection.isInTransaction)
        #expect(try connection.scalar("SELECT count(*) FROM settings") == .integer(0))
        try connection.write { db in
            try db.run("INSERT INTO settings (name, value, updated_at) VALUES ('a', 'b', 1)")
        }
        #expect(try connection.scalar("SELECT count(*) FROM settings") == .integer(1))
    }

    @Test("a read transaction sees one snapshot while another connection commits")
    func snapshot() throws {
        let temp = try TemporaryDatabase()
        let reader = try temp.open().connection
        let writer = try temp.connection()
        try reader.read { db in
            #expect(try db.scalar("SELECT count(*) FROM settings") == .integer(0))
            #expect(!db.isInWriteTransaction)
            try writer.write { other in
                try other.run("INSERT INTO settings (name, value, updated_at) VALUES ('a', 'b', 1)")
            }
            #expect(try db.scalar("SELECT count(*) FROM settings") == .integer(0))
        }
        #expect(try reader.scalar("SELECT count(*) FROM settings") == .integer(1))
    }

    @Test("transactions do not nest")
    func noNesting() throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.connection()
        let error = try #require(throws: StoreError.self) {
            try connection.write { db in try db.read { _ in } }
        }
        #expect(error.code == SQLITE_MISUSE)
        #expect(!connection.isInTransaction)
    }
}
