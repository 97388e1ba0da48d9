// OptionSpec: one option a program accepts (`-n`, `--config`), for CommandLineParser.

/// One option a program accepts.
public struct OptionSpec: Sendable, Hashable {
    /// The spelling, e.g. `-n` or `--config`.
    public let name: String
    /// Whether the option takes a value.
    public let takesValue: Bool

    /// Declares an option.
    public init(_ name: String, takesValue: Bool = false) {
        self.name = name
        self.takesValue = takesValue
    }
}
