// HeaderField: one RFC 5322 header field: its name, its unfolded raw value, and that
// value decoded (RFC 2047 encoded words, 8-bit text by charset detection).

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
