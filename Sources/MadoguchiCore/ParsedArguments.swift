// ParsedArguments: what CommandLineParser returns: option values, flags and operands.

/// The result of parsing a command line.
public struct ParsedArguments: Sendable, Equatable {
    /// Values given for value-taking options, in order, by option name.
    public var values: [String: [String]] = [:]
    /// Flags that were given.
    public var flags: Set<String> = []
    /// The operands, in order.
    public var operands: [String] = []

    /// Whether a flag was given.
    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The last value of an option, if given.
    public func value(_ option: String) -> String? { values[option]?.last }
}
