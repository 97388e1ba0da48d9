// Database: the encrypted store every program uses — a Connection at the current
// schema version plus the FieldCipher that seals `_enc` columns.
// SECURITY: the cipher is private; sealing and opening happen only inside
// DatabaseTransaction, with the table|column|row context of the value.

import Foundation
import MadoguchiCore
import MadoguchiCrypto

/// An open, migrated database with its field cipher. Use from one thread.
public final class Database {
    /// The underlying connection (clear-column access; job runs).
    public let connection: Connection
    private let cipher: FieldCipher
    /// The connection's AES-GCM contexts, reused by every transaction (one thread).
    private let decryptor: FieldDecryptor
    /// A lock shared by the connections of one process that write concurrently (the web
    /// server's pool): its writers queue here, first come first served, instead of in
    /// SQLite's busy handler, which sleeps in growing steps (a view under 32 concurrent
    /// requests took 200 ms that way).
    /// Set it before the connection is shared; nil for a program with one connection.
    public var writeGate: WriteGate?
    /// The group commit `writeGrouped` queues on, shared like `writeGate`; nil runs
    /// each grouped write in a transaction of its own.
    public var commitGroup: CommitGroup?

    /// The read transaction `sharingReads` keeps open across `read` calls.
    private struct SharedRead {
        /// Inside `sharingReads`.
        var active = false
        /// The transaction is open.
        var open = false
        /// `read` bodies running in it now.
        var depth = 0
    }
    private var shared = SharedRead()

    /// Wraps an already-migrated connection.
    public init(connection: Connection, cipher: FieldCipher) {
        self.connection = connection
        self.cipher = cipher
        decryptor = FieldDecryptor(cipher: cipher)
    }

    /// Opens (creating if needed) and migrates a database.
    /// - Parameters:
    ///   - path: the database file.
    ///   - cipher: the field keys.
    ///   - configuration: connection settings (busy timeout).
    ///   - migrations: the schema; defaults to every migration this program knows.
    /// - Throws: `SystemError`, `StoreError`, `MigrationError` (e.g. a newer database).
    public static func open(
        path: String, cipher: FieldCipher, configuration: Connection.Configuration = Connection.Configuration(),
        migrations: [Migration] = Migration.all
    ) throws -> Database {
        let connection = try Connection(path: path, configuration: configuration)
        try connection.migrate(migrations)
        return Database(connection: connection, cipher: cipher)
    }

    /// Opens the database named by `database_file`, with `database_busy_timeout`.
    /// - Throws: `SystemError`, `StoreError`, `MigrationError`.
    public static func open(configuration: MadoguchiCore.Configuration, cipher: FieldCipher) throws -> Database {
        try open(
            path: configuration[.databaseFile], cipher: cipher,
            configuration: Connection.Configuration(configuration))
    }

    /// Runs `body`, in which every `read` up to the first write shares one read
    /// transaction: one snapshot, begun once. After each commit by another connection a
    /// transaction starts with an empty page cache, so a request's second read
    /// transaction read its pages again (a web page read the session, then the page:
    /// two transactions, the second often a third of the page's time). A `write` or
    /// `writeGrouped` ends the shared transaction first; reads after it share a new one.
    /// - Throws: what `body` throws; `StoreError` when ending the transaction fails.
    public func sharingReads<T>(_ body: () throws -> T) throws -> T {
        guard !shared.active else { return try body() }
        shared.active = true
        defer { shared.active = false }
        let value: T
        do {
            value = try body()
        } catch {
            try? endSharedRead(committing: false)
            throw error
        }
        try endSharedRead()
        return value
    }

    /// Ends the shared read transaction, if one is open. A write inside a `read` body
    /// is refused, as with transactions of their own (they do not nest).
    private func endSharedRead(committing: Bool = true) throws {
        guard shared.open else { return }
        guard !committing || shared.depth == 0 else {
            throw SQLiteHandle.misuse("transactions do not nest", sql: "BEGIN IMMEDIATE")
        }
        shared.open = false
        try connection.endTransaction(committing: committing)
    }

    /// Runs `body` with a DatabaseTransaction over `connection`'s open transaction.
    private func inTransaction<T>(_ connection: Connection, _ body: (DatabaseTransaction) throws -> T) throws -> T {
        let transaction = DatabaseTransaction(connection: connection, cipher: cipher, decryptor: decryptor)
        defer { transaction.close() }
        return try body(transaction)
    }

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE` … `COMMIT`, rollback on throw).
    /// - Throws: `StoreError` (busy after the timeout is transient), `CryptoError`, or what `body` throws.
    @discardableResult
    public func write<T>(_ body: (DatabaseTransaction) throws -> T) throws -> T {
        try endSharedRead()
        writeGate?.lock()
        defer { writeGate?.unlock() }
        return try connection.write { try inTransaction($0, body) }
    }

    /// Runs `body` in a write transaction that may also hold other callers' writes
    /// (`commitGroup`), each in a savepoint of its own, and returns after the commit.
    /// Use it for short writes that must be durable before the caller goes on (an audit
    /// entry before data is returned); `body` may run on another thread and
    /// connection while this one waits, so it must use only `tx` and what it captures.
    /// - Throws: what `body` throws (its changes rolled back), `StoreError` from the
    ///   shared transaction's BEGIN or COMMIT.
    public func writeGrouped(_ body: @escaping (DatabaseTransaction) throws -> Void) throws {
        guard let commitGroup else { return try write(body) }
        try endSharedRead()
        try commitGroup.submit(body, on: self)
    }

    /// Runs `body` in a read transaction (one snapshot).
    /// - Throws: `StoreError`, `CryptoError`, or what `body` throws.
    public func read<T>(_ body: (DatabaseTransaction) throws -> T) throws -> T {
        guard shared.active else { return try connection.read { try inTransaction($0, body) } }
        if !shared.open {
            try connection.beginRead()
            shared.open = true
        }
        shared.depth += 1
        defer { shared.depth -= 1 }
        return try inTransaction(connection, body)
    }
}
