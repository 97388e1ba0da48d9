// Migrations: recorded, idempotent on reopen, atomic per migration, and a database
// written by a newer release (or with a renamed migration) is refused.

import CSQLite
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@testable import MadoguchiStore

@Suite struct MigrationTests {
    @Test("migrations are recorded once and reopening applies nothing")
    func recordedAndIdempotent() throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.connection()
        #expect(try connection.schemaVersion() == 0)
        let latest = Migration.all.count
        #expect(try connection.migrate(now: 1_700_000_000) == Array(1...latest))
        let rows = try connection.rows("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
        #expect(
            rows
                == Migration.all.map {
                    Row(
                        columns: ["version", "name", "applied_at"],
                        values: [.int($0.number), .text($0.name), 1_700_000_000])
                })
        #expect(try connection.scalar("PRAGMA user_version") == .int(latest))

        let reopened = try temp.connection()
        #expect(try reopened.migrate(now: 1_800_000_000) == [])
        #expect(try reopened.scalar("SELECT count(*) FROM schema_migrations") == .int(latest))
        #expect(try reopened.schemaVersion() == Migration.all.count)
        let tables = try reopened.rows("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .compactMap { $0.string("name") }
        for table in [
            "attachments", "audit", "audit_checkpoint", "customers", "data_keys", "inquiries", "job_runs",
            "mailboxes", "message_search", "messages", "quarantine", "schema_migrations", "settings", "users",
            "sessions", "logins",
        ] {
            #expect(tables.contains(table), "table \(table)")
        }
    }

    @Test(
        "opening an up-to-date database does not wait for another program's write", .timeLimit(.minutes(1)),
        .blocksThreads)
    func openWhileWriting() throws {
        let temp = try TemporaryDatabase(busyTimeoutMilliseconds: 5_000)
        let writer = try temp.open().connection
        try writer.execute("BEGIN IMMEDIATE")
        defer { _ = sqlite3_exec(writer.handle.db, "ROLLBACK", nil, nil, nil) }
        let start = Monotonic.now()
        let database = try temp.open()
        #expect(Monotonic.now() - start < 1.0)
        #expect(try database.connection.schemaVersion() == Migration.all.count)
    }

    @Test("a configuration names the database file and busy timeout")
    func openFromConfiguration() throws {
        let temp = try TemporaryDatabase()
        let config = try Configuration.parse(
            "database_file = madoguchi.db\ndatabase_busy_timeout = 2s\n", path: "madoguchi.conf",
            baseDirectory: temp.directory.path)
        let database = try Database.open(configuration: config, cipher: temp.cipher)
        #expect(database.connection.path == temp.path)
        #expect(try database.connection.scalar("PRAGMA busy_timeout") == .integer(2000))
    }

    @Test("a database from a newer release is refused with a clear error")
    func newerDatabaseRefused() throws {
        let temp = try TemporaryDatabase()
        let latest = Migration.all.count
        let future = Migration(
            number: latest + 1, name: "future", sql: "CREATE TABLE future_things (id INTEGER PRIMARY KEY);")
        #expect(try temp.connection().migrate(Migration.all + [future]) == Array(1...latest + 1))

        let error = try #require(throws: MigrationError.self) { try temp.open() }
        #expect(error == .databaseNewer(databaseVersion: latest + 1, programVersion: latest))
        #expect(error.effectiveExitCode == .config)
        #expect(error.description.contains("newer"))
    }

    @Test("migration 4 maps the intake statuses to the operator statuses and refuses the old names")
    func inquiryStatus() throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.connection()
        try connection.migrate(Array(Migration.all.prefix(3)))
        let old = ["open", "pending", "answered", "closed", "spam"]
        let database = Database(connection: connection, cipher: temp.cipher)
        func inquiry(_ status: String?, at time: Int) -> RowValues {
            var row = RowValues()
            row.set("mailbox_id", .int(1))
            if let status { row.set("status", .text(status)) }
            for column in ["created_at", "updated_at"] { row.set(column, .int(0)) }
            row.set("last_message_at", .int(time))
            return row
        }
        try database.write { tx in
            try tx.run("INSERT INTO mailboxes (name, created_at, updated_at) VALUES ('support', 0, 0)")
            for (index, status) in old.enumerated() { try tx.insert(into: "inquiries", inquiry(status, at: index)) }
        }
        #expect(try connection.migrate() == Array(4...Migration.all.count))
        let statuses = try connection.rows("SELECT status FROM inquiries ORDER BY id").map { $0.string("status") }
        #expect(statuses == ["new", "in_progress", "done", "done", "trash"])
        let error = try #require(throws: StoreError.self) {
            try connection.write { try $0.run("UPDATE inquiries SET status = 'open' WHERE id = 1") }
        }
        #expect(error.code == SQLITE_CONSTRAINT)
        // A new inquiry without a status is new.
        try database.write { try $0.insert(into: "inquiries", inquiry(nil, at: 9)) }
        #expect(try connection.scalar("SELECT status FROM inquiries WHERE last_message_at = 9") == .text("new"))
    }

    @Test("migration 3 gives existing incoming messages their inquiry's customer, and outgoing ones none")
    func customerBackfill() throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.connection()
        try connection.migrate(Array(Migration.all.prefix(2)))
        let database = Database(connection: connection, cipher: temp.cipher)
        let messages = try database.write { tx -> [Int64] in
            func insert(_ table: String, _ values: [String: SQLValue], sealing sealed: [String: String] = [:]) throws
                -> Int64
            {
                var row = RowValues()
                for (name, value) in values.sorted(by: { $0.key < $1.key }) { row.set(name, value) }
                for (name, text) in sealed { row.seal(name, text) }
                return try tx.insert(into: table, row)
            }
            let mailbox = try insert("mailboxes", ["name": "support", "created_at": 0, "updated_at": 0])
            let customer = try insert(
                "customers",
                ["address_index": .blob(Array(repeating: 0, count: 32)), "pseudonym": "C-222222", "created_at": 0],
                sealing: ["address_enc": "taro@example.jp"])
            let inquiries = try [SQLValue.integer(customer), .null].map { owner in
                try insert(
                    "inquiries",
                    [
                        "mailbox_id": .integer(mailbox), "customer_id": owner, "created_at": 0, "updated_at": 0,
                        "last_message_at": 0,
                    ])
            }
            return try [(inquiries[0], "in"), (inquiries[0], "out"), (inquiries[1], "in")].enumerated().map {
                number, message in
                try insert(
                    "messages",
                    [
                        "inquiry_id": .integer(message.0), "mailbox_id": .integer(mailbox),
                        "intake_id": .text("m\(number)"), "direction": .text(message.1), "received_at": 0, "size": 1,
                    ])
            }
        }
        #expect(try connection.migrate() == Array(3...Migration.all.count))
        let rows = try connection.rows("SELECT id, customer_id FROM messages ORDER BY id")
        let customer = try connection.scalar("SELECT id FROM customers")?.int64Value
        #expect(rows.map { $0.int64("id") } == messages)
        #expect(rows.map { $0.int64("customer_id") } == [customer, nil, nil])
        #expect(try connection.scalar("SELECT count(*) FROM inquiries WHERE claimed_inquiry_id IS NULL") == .int(2))
        let error = try #require(throws: StoreError.self) {
            try connection.write { try $0.run("UPDATE inquiries SET claimed_inquiry_id = 0 WHERE id = 1") }
        }
        #expect(error.code == SQLITE_CONSTRAINT)
    }

    @Test("a recorded migration with another name is refused")
    func renamedMigrationRefused() throws {
        let temp = try TemporaryDatabase()
        let impostor = Migration(number: 1, name: "something_else", sql: "CREATE TABLE t (id INTEGER PRIMARY KEY);")
        try temp.connection().migrate([impostor])
        #expect(throws: MigrationError.nameMismatch(version: 1, recorded: "something_else", expected: "core")) {
            try temp.open()
        }
    }

    @Test("a failing migration is rolled back entirely and not recorded")
    func failingMigrationRollsBack() throws {
        let temp = try TemporaryDatabase()
        let broken = Migration(
            number: Migration.all.count + 1, name: "broken",
            sql: "CREATE TABLE half_done (id INTEGER PRIMARY KEY); INSERT INTO nowhere VALUES (1);")
        let connection = try temp.connection()
        let error = try #require(throws: StoreError.self) { try connection.migrate(Migration.all + [broken]) }
        #expect(error.code == SQLITE_ERROR)
        #expect(try connection.schemaVersion() == Migration.all.count)
        #expect(try connection.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'") == .integer(0))
        #expect(!connection.isInTransaction)
    }

    @Test("a migration list with a gap is a program bug")
    func invalidList() throws {
        let temp = try TemporaryDatabase()
        let gap = Migration(number: Migration.all.count + 2, name: "gap", sql: "SELECT 1;")
        let error = try #require(throws: MigrationError.self) { try temp.connection().migrate(Migration.all + [gap]) }
        #expect(error.effectiveExitCode == .software)
    }

    @Test("schema changes outside a migration are refused")
    func schemaChangesOnlyInMigrations() throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.open().connection
        for sql in [
            "ALTER TABLE messages RENAME COLUMN subject_enc TO subject",
            "DROP TABLE settings",
            "CREATE TABLE sneaky (x)",
            "CREATE TRIGGER copy AFTER INSERT ON settings BEGIN UPDATE inquiries SET flags = 1; END",
            "CREATE TEMP TRIGGER copy AFTER INSERT ON settings BEGIN SELECT 1; END",
            "ATTACH DATABASE ':memory:' AS other",
        ] {
            let error = try #require(throws: StoreError.self, "\(sql)") { try connection.execute(sql) }
            #expect(error.code == SQLITE_AUTH, "\(sql)")
        }
        #expect(try connection.schemaVersion() == Migration.all.count)
    }
}

@Suite struct SearchIndexCompatibilityTests {
    @Test("a migration can create a contentless FTS5 index that works under the write guard")
    func contentlessFTS5() throws {
        #expect(Connection.hasCompileOption("ENABLE_FTS5"))
        let temp = try TemporaryDatabase()
        let connection = try temp.connection()
        let index = Migration(
            number: Migration.all.count + 1, name: "search_index",
            sql: "CREATE VIRTUAL TABLE search_tokens USING fts5(tokens, content='', detail=none);")
        try connection.migrate(Migration.all + [index])
        try connection.write { db in
            try db.run("INSERT INTO search_tokens (rowid, tokens) VALUES (1, 'a1b2 c3d4'), (2, 'c3d4 e5f6')")
        }
        let hits = { (token: String) in
            try connection.rows(
                "SELECT rowid FROM search_tokens WHERE search_tokens MATCH ? ORDER BY rowid", [.text(token)]
            )
            .compactMap { $0.int64("rowid") }
        }
        #expect(try hits("c3d4") == [1, 2])
        // SQLite 3.40 has no contentless_delete: rows are removed by re-supplying their tokens.
        try connection.write { db in
            try db.run("INSERT INTO search_tokens (search_tokens, rowid, tokens) VALUES ('delete', 1, 'a1b2 c3d4')")
        }
        #expect(try hits("c3d4") == [2])
        #expect(try hits("a1b2") == [])
    }
}
