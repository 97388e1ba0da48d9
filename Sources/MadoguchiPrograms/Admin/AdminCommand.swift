// AdminCommand: the one shape of every `madoguchi` subcommand — its word, its usage
// lines (which are the man page SYNOPSIS) and its run function over an invocation.
// AdminProgram's table of these drives `--help`, the dispatch and the SYNOPSIS test.

import MadoguchiCore

/// A `madoguchi` subcommand.
public protocol AdminCommand: Sendable {
    /// The command word, e.g. `list`.
    static var name: String { get }
    /// Usage lines without `usage: `, each starting `madoguchi [-nv] [--config file] <name>`.
    static var usage: [String] { get }
    /// Runs the subcommand.
    /// - Parameter invocation: its arguments, the tool context and where to read and write.
    /// - Returns: the exit status.
    /// - Throws: `UsageError` for bad arguments, or the error of the operation (mapped to
    ///   its sysexits code by `ToolMain`).
    static func run(_ invocation: AdminInvocation) throws -> SysExit
}
