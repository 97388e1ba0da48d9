// ToolContext: what ToolMain hands a program's body: its description, configuration,
// parsed command line and logger.

/// What a program's body receives from `ToolMain`.
public struct ToolContext: Sendable {
    /// The program's description.
    public let tool: ToolDescription
    /// The loaded (or default) configuration.
    public let configuration: Configuration
    /// The parsed command line.
    public let arguments: ParsedArguments
    /// The program's logger.
    public let log: Log

    /// Whether `-v` was given.
    public var verbose: Bool { log.verbose }

    /// Creates a context (ToolMain does this; tests may too).
    public init(tool: ToolDescription, configuration: Configuration, arguments: ParsedArguments, log: Log) {
        self.tool = tool
        self.configuration = configuration
        self.arguments = arguments
        self.log = log
    }
}
