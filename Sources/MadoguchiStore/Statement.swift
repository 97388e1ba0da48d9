// Statement: one prepared SQLite statement with typed binding and column reads;
// finalized in deinit. SECURITY: text and blobs are bound with SQLITE_TRANSIENT
// (SQLite copies them); a plaintext value is refused for a parameter named
// `…_enc`, since such columns hold only ciphertext from the sealed row builder.

import CSQLite

/// A prepared statement. Used from the connection's thread only.
public final class Statement {
    /// The statement text.
    public let sql: String
    let handle: SQLiteHandle
    let stmt: OpaquePointer

    init(handle: SQLiteHandle, sql: String, persistent: Bool) throws {
        var stmt: OpaquePointer?
        let flags = UInt32(persistent ? SQLITE_PREPARE_PERSISTENT : 0)
        // The tail points into the C string, which lives only inside withCString: read it there.
        let (result, hasMore) = sql.withCString { text -> (Int32, Bool) in
            var tail: UnsafePointer<CChar>?
            let result = sqlite3_prepare_v3(handle.db, text, -1, flags, &stmt, &tail)
            return (result, tail.map { String(cString: $0).contains(where: { !$0.isWhitespace }) } ?? false)
        }
        guard result == SQLITE_OK else {
            sqlite3_finalize(stmt)
            throw handle.error(result, sql: sql)
        }
        guard let stmt else { throw SQLiteHandle.misuse("empty statement", sql: sql) }
        if hasMore {
            sqlite3_finalize(stmt)
            throw SQLiteHandle.misuse("more than one statement; use Connection.execute for scripts", sql: sql)
        }
        self.handle = handle
        self.sql = sql
        self.stmt = stmt
    }

    deinit {
        sqlite3_finalize(stmt)
    }

    // MARK: Binding

    /// Number of parameters (`?`, `?NNN`, `:name`).
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(stmt)) }

    /// Resets the statement and binds `values` to parameters 1…n.
    /// - Throws: `StoreError` if the count differs or a value cannot be bound.
    public func bind(_ values: [SQLValue]) throws {
        reset()
        guard values.count == parameterCount else {
            throw SQLiteHandle.misuse("\(values.count) values for \(parameterCount) parameters", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    /// Binds one value to a 1-based parameter index.
    /// - Throws: `StoreError`; plaintext text or blob for a parameter named `…_enc` is refused.
    public func bind(_ value: SQLValue, at index: Int) throws {
        if handle.sealedWriteDepth == 0, let namePointer = sqlite3_bind_parameter_name(stmt, Int32(index)) {
            let name = String(cString: namePointer)
            switch value {
            case .text, .blob:
                if name.hasSuffix("_enc") {
                    throw SQLiteHandle.misuse("plaintext bound to encrypted parameter \(name)", sql: sql)
                }
            default: break
            }
        }
        let position = Int32(index)
        let result: Int32
        switch value {
        case .null:
            result = sqlite3_bind_null(stmt, position)
        case .integer(let number):
            result = sqlite3_bind_int64(stmt, position, number)
        case .real(let number):
            result = sqlite3_bind_double(stmt, position, number)
        case .text(let text):
            var text = text
            result = text.withUTF8 { utf8 in
                utf8.withMemoryRebound(to: CChar.self) { chars in
                    guard let base = chars.baseAddress else {
                        return sqlite3_bind_text64(stmt, position, "", 0, csqlite_transient(), UInt8(SQLITE_UTF8))
                    }
                    return sqlite3_bind_text64(
                        stmt, position, base, UInt64(chars.count), csqlite_transient(), UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            if bytes.isEmpty {
                result = sqlite3_bind_zeroblob(stmt, position, 0)
            } else {
                result = bytes.withUnsafeBytes { raw in
                    sqlite3_bind_blob64(stmt, position, raw.baseAddress, UInt64(raw.count), csqlite_transient())
                }
            }
        }
        guard result == SQLITE_OK else { throw handle.error(result, sql: sql) }
    }

    /// Binds one value to a named parameter (`:name`, `@name` or `$name`, given with its prefix).
    /// - Throws: `StoreError` if there is no such parameter.
    public func bind(_ value: SQLValue, named name: String) throws {
        let index = sqlite3_bind_parameter_index(stmt, name)
        guard index > 0 else { throw SQLiteHandle.misuse("no parameter \(name)", sql: sql) }
        try bind(value, at: Int(index))
    }

    /// Resets the statement so it can run again (bindings are kept).
    public func reset() {
        sqlite3_reset(stmt)
    }

    /// Resets the statement and sets every parameter to NULL.
    public func clearBindings() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    // MARK: Stepping

    /// Advances to the next row.
    /// - Returns: true when a row is available, false when the statement is done.
    /// - Throws: `StoreError` (SQLITE_BUSY after the busy timeout is transient).
    @discardableResult
    public func step() throws -> Bool {
        let result = sqlite3_step(stmt)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = handle.error(result, sql: sql)
            sqlite3_reset(stmt)
            throw error
        }
    }

    /// Runs the statement to completion, ignoring any rows, then resets it.
    /// - Throws: `StoreError`.
    public func run() throws {
        defer { sqlite3_reset(stmt) }
        while try step() {}
    }

    /// Runs the statement and materializes every row, then resets it.
    /// - Throws: `StoreError`.
    public func rows() throws -> [Row] {
        defer { sqlite3_reset(stmt) }
        var result: [Row] = []
        // The names are read once and shared by every row (per row they were a String
        // per column per row on every page).
        var names: [String] = []
        while try step() {
            if result.isEmpty { names = (0..<columnCount).map(columnName) }
            result.append(Row(columns: names, values: names.indices.map(value(at:))))
        }
        return result
    }

    /// Calls `body` once per row with the statement positioned on it, then resets.
    /// - Throws: `StoreError` or what `body` throws.
    public func forEachRow(_ body: (Statement) throws -> Void) throws {
        defer { sqlite3_reset(stmt) }
        while try step() { try body(self) }
    }

    // MARK: Columns

    /// Number of result columns.
    public var columnCount: Int { Int(sqlite3_column_count(stmt)) }

    /// The name of a result column (0-based).
    public func columnName(_ index: Int) -> String {
        guard let name = sqlite3_column_name(stmt, Int32(index)) else { return "" }
        return String(cString: name)
    }

    /// True if the column of the current row is NULL.
    public func isNull(at index: Int) -> Bool { sqlite3_column_type(stmt, Int32(index)) == SQLITE_NULL }

    /// The column as an integer (SQLite's conversion rules; NULL is 0).
    public func int64(at index: Int) -> Int64 { sqlite3_column_int64(stmt, Int32(index)) }

    /// The column as a double (NULL is 0).
    public func double(at index: Int) -> Double { sqlite3_column_double(stmt, Int32(index)) }

    /// The column as text, or nil for NULL.
    public func string(at index: Int) -> String? {
        guard !isNull(at: index), let text = sqlite3_column_text(stmt, Int32(index)) else { return nil }
        let count = Int(sqlite3_column_bytes(stmt, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column as bytes, or nil for NULL.
    public func blob(at index: Int) -> [UInt8]? {
        guard !isNull(at: index) else { return nil }
        let pointer = sqlite3_column_blob(stmt, Int32(index))
        let count = Int(sqlite3_column_bytes(stmt, Int32(index)))
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Calls `body` with the column's bytes where SQLite holds them (valid only until
    /// the statement steps or resets), or nil for NULL; the column must be a blob.
    /// - Throws: `StoreError` (SQLITE_MISMATCH) for a column of another type, or what
    ///   `body` throws.
    func withBlob<R>(at index: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        switch sqlite3_column_type(stmt, Int32(index)) {
        case SQLITE_NULL: return try body(nil)
        case SQLITE_BLOB:
            let pointer = sqlite3_column_blob(stmt, Int32(index))
            let count = Int(sqlite3_column_bytes(stmt, Int32(index)))
            return try body(UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
        default: throw StoreError(code: SQLITE_MISMATCH, message: "column \(index) is not a blob", sql: sql)
        }
    }

    /// The column as a typed value.
    public func value(at index: Int) -> SQLValue {
        switch sqlite3_column_type(stmt, Int32(index)) {
        case SQLITE_INTEGER: .integer(int64(at: index))
        case SQLITE_FLOAT: .real(double(at: index))
        case SQLITE_TEXT: .text(string(at: index) ?? "")
        case SQLITE_BLOB: .blob(blob(at: index) ?? [])
        default: .null
        }
    }

    /// The current row, materialized.
    public func row() -> Row {
        let count = columnCount
        return Row(columns: (0..<count).map(columnName), values: (0..<count).map(value(at:)))
    }
}
