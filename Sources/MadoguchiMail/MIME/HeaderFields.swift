// HeaderFields: one header block's fields, in order, with raw (unfolded) and
// decoded (RFC 2047, 8-bit charset detection) access. Duplicates are kept; the
// first occurrence is the one `first` returns.

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
