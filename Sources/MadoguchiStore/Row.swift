// Row: one materialized result row (column names plus values). Reading by name
// keeps callers independent of column order. SECURITY: rows may hold customer
// data (ciphertext or, from `DatabaseTransaction.fetch`, plaintext); never log them.

/// A result row read from a statement.
public struct Row: Sendable, Hashable {
    /// Column names in result order.
    public let columns: [String]
    /// Values in result order.
    public let values: [SQLValue]

    /// Creates a row.
    public init(columns: [String], values: [SQLValue]) {
        precondition(columns.count == values.count, "row shape")
        self.columns = columns
        self.values = values
    }

    /// The value of the first column with this name, or `.null` if there is none.
    public subscript(_ name: String) -> SQLValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return values[index]
    }

    /// The value at a result position.
    public subscript(_ index: Int) -> SQLValue { values[index] }

    /// The integer in column `name`, or nil.
    public func int64(_ name: String) -> Int64? { self[name].int64Value }

    /// The double in column `name`, or nil.
    public func double(_ name: String) -> Double? { self[name].doubleValue }

    /// The text in column `name` (a blob is decoded as UTF-8), or nil.
    public func string(_ name: String) -> String? {
        switch self[name] {
        case .text(let text): text
        case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The bytes in column `name` (text as UTF-8), or nil.
    public func blob(_ name: String) -> [UInt8]? {
        switch self[name] {
        case .blob(let bytes): bytes
        case .text(let text): Array(text.utf8)
        default: nil
        }
    }
}
