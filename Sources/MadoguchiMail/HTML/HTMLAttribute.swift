// HTMLAttribute: one attribute of a start tag as HTMLTokenizer read it.

/// An attribute: the name in ASCII lower case and the value with character
/// references decoded (empty for an attribute without a value).
public struct HTMLAttribute: Sendable, Equatable {
    /// The name, ASCII lower case.
    public var name: String
    /// The decoded value.
    public var value: String

    /// Creates an attribute.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
