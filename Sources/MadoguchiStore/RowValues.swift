// RowValues: the column values of one row for DatabaseTransaction.insert/update.
// SECURITY: `_enc` columns accept only plaintext to be sealed, clear columns only SQL
// values; a mix-up makes the write throw. The description is redacted.

/// Column values for `DatabaseTransaction.insert` and `.update`.
public struct RowValues: Sendable, CustomStringConvertible, CustomReflectable {
    enum Entry: Sendable {
        case clear(SQLValue)
        case plaintext([UInt8]?)
    }

    private(set) var entries: [(column: String, entry: Entry)] = []
    private var mistakes: [String] = []

    /// An empty set of values.
    public init() {}

    /// Sets a clear (metadata) column. A column whose name ends in `_enc` is refused
    /// when the row is written: use `seal` for those.
    public mutating func set(_ column: String, _ value: SQLValue) {
        if column.hasSuffix("_enc") {
            mistakes.append("clear value for encrypted column \(column)")
        }
        entries.append((column, .clear(value)))
    }

    /// Sets an encrypted column to UTF-8 text (nil stores NULL). Only `_enc` columns.
    public mutating func seal(_ column: String, _ text: String?) {
        seal(column, text.map { Array($0.utf8) })
    }

    /// Sets an encrypted column to bytes (nil stores NULL). Only `_enc` columns.
    public mutating func seal(_ column: String, _ bytes: [UInt8]?) {
        if !column.hasSuffix("_enc") {
            mistakes.append("sealed value for clear column \(column)")
        }
        entries.append((column, .plaintext(bytes)))
    }

    /// The column names in the order they were set.
    public var columns: [String] { entries.map(\.column) }

    public var description: String { "RowValues(\(columns.joined(separator: ", ")); values redacted)" }

    public var customMirror: Mirror { Mirror(self, children: ["columns": columns]) }

    /// The entries, or an error naming every mistake (never a value).
    func validated(table: String) throws -> [(column: String, entry: Entry)] {
        var problems = mistakes
        var seen: Set<String> = []
        for (column, _) in entries {
            if !DatabaseTransaction.isIdentifier(column) { problems.append("invalid column name") }
            if column == "id" { problems.append("id is allocated by the store") }
            if !seen.insert(column).inserted { problems.append("column \(column) set twice") }
        }
        if entries.isEmpty { problems.append("no columns") }
        guard problems.isEmpty else {
            throw SQLiteHandle.misuse("refused write to \(table): " + problems.joined(separator: "; "))
        }
        return entries
    }
}
