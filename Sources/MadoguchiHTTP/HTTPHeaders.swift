// HTTPHeaders: an ordered list of header fields with case-insensitive lookup
// (RFC 9110 section 5.1). Names are kept as received (or as set) and compared in ASCII
// lower case.

/// Header fields in order, looked up without regard to ASCII case.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    /// One field: the name as written and its value.
    public struct Field: Sendable, Equatable {
        /// The field name as received or set.
        public let name: String
        /// The field value without surrounding whitespace.
        public let value: String
        /// `name` in ASCII lower case, for lookups.
        let key: String
    }

    private(set) var fields: [Field] = []

    /// An empty list.
    public init() {}

    /// A list from name/value pairs.
    /// - Parameter pairs: fields in order.
    public init(_ pairs: [(String, String)]) {
        fields.reserveCapacity(pairs.count)
        for (name, value) in pairs { add(name, value) }
    }

    /// The number of fields.
    public var count: Int { fields.count }

    /// Appends a field (a second field of the same name is kept).
    /// - Parameters:
    ///   - name: the field name.
    ///   - value: the field value.
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value, key: HTTPHeaders.lowercased(name)))
    }

    mutating func add(name: String, key: String, value: String) {
        fields.append(Field(name: name, value: value, key: key))
    }

    /// Replaces every field of that name with one field.
    /// - Parameters:
    ///   - name: the field name (any case).
    ///   - value: the new value.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    /// Removes every field of that name.
    /// - Parameter name: the field name (any case).
    public mutating func remove(_ name: String) {
        let key = HTTPHeaders.lowercased(name)
        fields.removeAll { $0.key == key }
    }

    /// The value of the first field of that name.
    public subscript(name: String) -> String? {
        let key = HTTPHeaders.lowercased(name)
        return fields.first { $0.key == key }?.value
    }

    /// Every value of fields of that name, in order.
    /// - Parameter name: the field name (any case).
    /// - Returns: the values, possibly empty.
    public func values(_ name: String) -> [String] {
        let key = HTTPHeaders.lowercased(name)
        return fields.filter { $0.key == key }.map(\.value)
    }

    /// True when a field of that name is present.
    /// - Parameter name: the field name (any case).
    public func contains(_ name: String) -> Bool {
        let key = HTTPHeaders.lowercased(name)
        return fields.contains { $0.key == key }
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    static func lowercased(_ name: String) -> String {
        var needs = false
        for byte in name.utf8 where byte >= 0x41 && byte <= 0x5A {
            needs = true
            break
        }
        guard needs else { return name }
        let utf8 = name.utf8
        return String(unsafeUninitializedCapacity: utf8.count) { buffer in
            for (index, byte) in utf8.enumerated() { buffer[index] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
            return utf8.count
        }
    }
}
