// DatabaseTransaction: the only way to write rows of tables with `_enc` columns: ids are
// allocated inside BEGIN IMMEDIATE, values sealed for table|column|id, then written.
// SECURITY: reads decrypt with the same context; moved or altered blobs fail generically.

import CSQLite
import MadoguchiCrypto

/// A read or write transaction on an encrypted `Database`. Valid only inside the
/// `Database.read`/`write` block that created it.
///
/// Row ids: `insert` takes one more than both the table's AUTOINCREMENT sequence and its
/// largest id, under the write lock of BEGIN IMMEDIATE, seals every `_enc` value for
/// table|column|id and inserts the whole row in one statement (so `_enc` columns may be
/// NOT NULL). `update` re-seals for the same id.
public final class DatabaseTransaction {
    /// The underlying connection, for clear-column queries and updates.
    public let connection: Connection
    private let cipher: FieldCipher
    private let decryptor: FieldDecryptor
    private var isOpen = true

    init(connection: Connection, cipher: FieldCipher, decryptor: FieldDecryptor) {
        self.connection = connection
        self.cipher = cipher
        self.decryptor = decryptor
    }

    func close() { isOpen = false }

    // MARK: Writing

    /// Inserts a row, sealing its `_enc` values for the new row id.
    /// - Parameters:
    ///   - table: a table with `id INTEGER PRIMARY KEY AUTOINCREMENT`.
    ///   - values: the columns except `id`.
    /// - Returns: the new row id.
    /// - Throws: `StoreError` (SQLITE_MISUSE for a clear value in an `_enc` column, a
    ///   read transaction or a bad name; constraint errors), `CryptoError`.
    @discardableResult
    public func insert(into table: String, _ values: RowValues) throws -> Int64 {
        try checkWritable(table)
        let entries = try values.validated(table: table)
        let id = try allocateID(table)
        var columns = ["id"]
        var arguments: [SQLValue] = [.integer(id)]
        for (column, entry) in entries {
            columns.append(column)
            arguments.append(try bindable(entry, table: table, column: column, row: id))
        }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))"
        try connection.handle.withSealedWrites {
            let statement = try connection.sealedStatement(sql)
            try statement.bind(arguments)
            try statement.run()
        }
        return id
    }

    /// Updates columns of one row, sealing `_enc` values for that row id.
    /// - Throws: `StoreError` (also SQLITE_NOTFOUND if there is no such row), `CryptoError`.
    public func update(_ table: String, id: Int64, _ values: RowValues) throws {
        try checkWritable(table)
        let entries = try values.validated(table: table)
        var assignments: [String] = []
        var arguments: [SQLValue] = []
        for (column, entry) in entries {
            assignments.append("\(column) = ?")
            arguments.append(try bindable(entry, table: table, column: column, row: id))
        }
        arguments.append(.integer(id))
        let sql = "UPDATE \(table) SET \(assignments.joined(separator: ", ")) WHERE id = ?"
        let changed = try connection.handle.withSealedWrites {
            let statement = try connection.sealedStatement(sql)
            try statement.bind(arguments)
            try statement.run()
            return sqlite3_changes64(connection.handle.db)
        }
        guard changed == 1 else {
            throw StoreError(code: SQLITE_NOTFOUND, message: "no row \(id) in \(table)", sql: sql)
        }
    }

    private func bindable(_ entry: RowValues.Entry, table: String, column: String, row: Int64) throws -> SQLValue {
        switch entry {
        case .clear(let value):
            return value
        case .plaintext(nil):
            return .null
        case .plaintext(let bytes?):
            return .blob(try cipher.seal(bytes, for: FieldContext(table: table, column: column, row: row)))
        }
    }

    private func allocateID(_ table: String) throws -> Int64 {
        let next = try connection.scalar(
            """
            SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),
                       coalesce((SELECT max(id) FROM \(table)), 0)) + 1
            """, [.text(table)])
        guard let id = next?.int64Value, id > 0 else {
            throw SQLiteHandle.misuse("cannot allocate a row id in \(table)")
        }
        return id
    }

    private func checkWritable(_ table: String) throws {
        try checkOpen()
        guard DatabaseTransaction.isIdentifier(table) else { throw SQLiteHandle.misuse("invalid table name") }
        guard connection.isInWriteTransaction else {
            throw SQLiteHandle.misuse("write to \(table) outside Database.write")
        }
    }

    // MARK: Reading

    /// Reads columns of one row by id; `_enc` columns come back decrypted as `.blob`
    /// plaintext (use `Row.string` for text), NULL stays `.null`.
    /// - Returns: the row, or nil if there is no row with this id.
    /// - Throws: `StoreError`, `CryptoError.authenticationFailed` (generic) if a
    ///   blob does not verify for this table, column and row (wrong key, tampering, swap).
    public func fetch(_ table: String, id: Int64, columns: [String]) throws -> Row? {
        try checkOpen()
        guard DatabaseTransaction.isIdentifier(table), !columns.isEmpty,
            columns.allSatisfy(DatabaseTransaction.isIdentifier)
        else { throw SQLiteHandle.misuse("invalid table or column names") }
        let sql = "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE id = ?"
        guard let row = try connection.rows(sql, [.integer(id)]).first else { return nil }
        var values = row.values
        for (index, column) in columns.enumerated() where column.hasSuffix("_enc") {
            values[index] = try open(values[index], table: table, column: column, row: id).map { .blob($0) } ?? .null
        }
        return Row(columns: columns, values: values)
    }

    /// Decrypts a value read from `table.column` of row `row` (e.g. from a custom query).
    /// - Returns: the plaintext, or nil for NULL.
    /// - Throws: `CryptoError.authenticationFailed` if it does not verify or is not a blob.
    public func open(_ value: SQLValue, table: String, column: String, row: Int64) throws -> [UInt8]? {
        try checkOpen()
        switch value {
        case .null: return nil
        case .blob(let blob):
            return try decryptor.open(blob, for: FieldContext(table: table, column: column, row: row))
        default: throw CryptoError.authenticationFailed  // not a blob: tampered, and just as generic
        }
    }

    /// Decrypts a value read from `table.column` of row `row` as UTF-8 text.
    /// - Throws: as `open`.
    public func openString(_ value: SQLValue, table: String, column: String, row: Int64) throws -> String? {
        try open(value, table: table, column: column, row: row).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Decrypts column `index` of `statement`'s current row (from `table.column` of
    /// row `row`) as UTF-8 text, straight from SQLite's copy of the blob: the hot loops'
    /// form of `openString(_:table:column:row:)`, without the two intermediate arrays.
    /// - Returns: the plaintext, or nil for NULL.
    /// - Throws: `CryptoError.authenticationFailed` if it does not verify or is not a blob.
    public func openString(_ statement: Statement, at index: Int, table: String, column: String, row: Int64) throws
        -> String?
    {
        try checkOpen()
        let context = FieldContext(table: table, column: column, row: row)
        do {
            return try statement.withBlob(at: index) { blob in
                try blob.map { try decryptor.openString($0, for: context) }
            }
        } catch is StoreError {
            throw CryptoError.authenticationFailed  // not a blob: tampered, and just as generic
        }
    }

    /// Runs a query (clear columns; `_enc` columns come back as ciphertext).
    /// - Throws: `StoreError`.
    public func rows(_ sql: String, _ arguments: [SQLValue] = []) throws -> [Row] {
        try checkOpen()
        return try connection.rows(sql, arguments)
    }

    /// The connection's cached statement for `sql`, reset with bindings cleared, for hot
    /// loops that read columns by index instead of materializing a `Row` per row (`_enc`
    /// columns come back as ciphertext; decrypt them with `open`). Valid only inside this
    /// transaction's block; do not nest two uses of the same SQL text.
    /// - Throws: `StoreError`.
    public func statement(_ sql: String) throws -> Statement {
        try checkOpen()
        return try connection.cachedStatement(sql)
    }

    /// Runs a statement on clear columns (raw writes to encrypted columns are refused).
    /// - Returns: the number of rows changed.
    /// - Throws: `StoreError`.
    @discardableResult
    public func run(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int {
        try checkOpen()
        return try connection.run(sql, arguments)
    }

    private func checkOpen() throws {
        guard isOpen else { throw SQLiteHandle.misuse("transaction used after its block ended") }
    }

    /// True for a plain lower-case SQL identifier (`[a-z_][a-z0-9_]*`, at most 64 bytes).
    static func isIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 64, first == 0x5F || (0x61...0x7A).contains(first) else {
            return false
        }
        return bytes.allSatisfy { $0 == 0x5F || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }
}
