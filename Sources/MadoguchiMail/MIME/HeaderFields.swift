// HeaderFields: one header block's fields, in order, with raw (unfolded) and
// decoded (RFC 2047, 8-bit charset detection) access. Duplicates are kept; the
// first occurrence is the one `first` returns.

/// One header field.
public struct HeaderField: Sendable, Equatable {
    /// The field name as written (e.g. `Subject`).
    public let name: String
    /// The unfolded value bytes with surrounding blanks removed, undecoded.
    public let rawValue: [UInt8]

    /// Creates a field.
    public init(name: String, rawValue: [UInt8]) {
        self.name = name
        self.rawValue = rawValue
    }

    /// The unfolded value as text (8-bit bytes decoded by detection; encoded words left as they are).
    public var value: String { Charset.decode(rawValue, label: nil) }

    /// The unfolded value with RFC 2047 encoded words and 8-bit text decoded.
    public var decodedValue: String { EncodedWords.decode(rawValue) }

    /// Whether the field is called `name` (ASCII case-insensitive).
    func isNamed(_ lowercasedName: [UInt8]) -> Bool {
        let utf8 = name.utf8
        guard utf8.count == lowercasedName.count else { return false }
        var index = 0
        for byte in utf8 {
            let folded = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if folded != lowercasedName[index] { return false }
            index += 1
        }
        return true
    }
}

/// The header fields of a message or MIME part, in order.
public struct HeaderFields: Sendable, Equatable {
    /// All fields in the order they appear.
    public let fields: [HeaderField]

    /// Creates a header block.
    public init(_ fields: [HeaderField]) { self.fields = fields }

    /// The number of fields.
    public var count: Int { fields.count }

    /// The first field called `name` (case-insensitive).
    public func field(_ name: String) -> HeaderField? {
        let key = HeaderFields.key(name)
        return fields.first { $0.isNamed(key) }
    }

    /// The unfolded raw value of the first field called `name` (case-insensitive).
    public func first(_ name: String) -> String? { field(name)?.value }

    /// The unfolded raw values of every field called `name`, in order.
    public func all(_ name: String) -> [String] {
        let key = HeaderFields.key(name)
        return fields.filter { $0.isNamed(key) }.map(\.value)
    }

    /// The decoded (RFC 2047) value of the first field called `name`.
    public func decoded(_ name: String) -> String? { field(name)?.decodedValue }

    /// The raw bytes of the first field called `name`.
    func rawFirst(_ lowercasedName: [UInt8]) -> [UInt8]? {
        fields.first { $0.isNamed(lowercasedName) }?.rawValue
    }

    private static func key(_ name: String) -> [UInt8] {
        name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }
}
