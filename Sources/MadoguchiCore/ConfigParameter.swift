// ConfigParameter: one declared madoguchi.conf parameter with its type and default,
// in the manner of Postfix's CONFIG_*_TABLE. Every parameter must also be
// documented in madoguchi.conf(5); a test enforces that.

/// A declared configuration parameter.
public struct ConfigParameter: Sendable, Hashable {
    /// The snake_case name used in madoguchi.conf.
    public let name: String
    /// The value type.
    public let kind: ConfigKind
    /// The default, written as it would be in the file.
    public let defaultValue: String
    /// One sentence for `madoguchi.conf(5)` and `-n -v` output.
    public let summary: String

    /// Declares a parameter.
    public init(_ name: String, _ kind: ConfigKind, default defaultValue: String, _ summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
    }

    public static func == (lhs: ConfigParameter, rhs: ConfigParameter) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
