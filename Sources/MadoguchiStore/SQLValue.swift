// SQLValue: one SQLite value (NULL, integer, real, text, blob) for binding and
// reading. SECURITY: values may be customer data; never log or print them.

/// A SQLite storage-class value.
public enum SQLValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// A double.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Raw bytes.
    case blob([UInt8])

    /// The integer, or nil for any other storage class.
    public var int64Value: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The double (integers converted), or nil.
    public var doubleValue: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The bytes of a blob, or nil for any other storage class.
    public var blobValue: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }

    /// True for SQL NULL.
    public var isNull: Bool { self == .null }
}

// No ExpressibleByNilLiteral: it would make `optionalValue != nil` compare against `.null`.
extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
}

extension SQLValue {
    /// An integer value from any fixed-width integer.
    public static func int<I: BinaryInteger>(_ value: I) -> SQLValue { .integer(Int64(value)) }

    /// `.text` for a string, `.null` for nil.
    public static func optional(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }

    /// `.integer` for a number, `.null` for nil.
    public static func optional(_ value: Int64?) -> SQLValue { value.map { .integer($0) } ?? .null }

    /// A JSON array of ids, bound to `IN (SELECT value FROM json_each(?))` so a list of
    /// any length is one parameter.
    public static func idList(_ ids: [Int64]) -> SQLValue {
        .text("[" + ids.map(String.init).joined(separator: ",") + "]")
    }
}
