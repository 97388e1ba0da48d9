// UsageError: why a command line was refused; every program exits 64 (EX_USAGE) on it.

/// Why the command line was refused (exit 64).
public struct UsageError: MadoguchiError, Equatable {
    /// What was wrong.
    public let reason: String
    /// Creates a usage error.
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
    public var exitCode: SysExit { .usage }
}
