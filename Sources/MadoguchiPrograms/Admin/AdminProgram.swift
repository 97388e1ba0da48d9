// AdminProgram: the `madoguchi` admin command. One table of subcommands gives the
// usage text (`--help`, the madoguchi(8) SYNOPSIS) and the dispatch.

import MadoguchiCore

/// The `madoguchi` program.
public enum AdminProgram {
    /// Every subcommand, in the order of the usage text.
    public static let commands: [any AdminCommand.Type] = [
        InitCommand.self, InspectMailCommand.self, MailboxCommand.self, EnqueueCommand.self, ListCommand.self,
        SearchCommand.self, QuarantineCommand.self, UserCommand.self,
    ]

    /// The program's description: the usage lines of every subcommand.
    public static let tool = ToolDescription(
        name: "madoguchi", usage: commands.flatMap { $0.usage }, configuration: .optional, solitary: false,
        stopAtFirstOperand: true)

    /// Runs the subcommand named by the first operand under `ToolMain` and exits.
    public static func main() -> Never {
        ToolMain.run(tool) { context in try dispatch(context) }
    }

    /// Runs the subcommand named by the first operand.
    /// - Parameter context: from `ToolMain`.
    /// - Returns: the subcommand's exit status.
    /// - Throws: `UsageError` for a missing or unknown command word, or the subcommand's error.
    public static func dispatch(_ context: ToolContext) throws -> SysExit {
        guard let word = context.arguments.operands.first else { throw UsageError("no command given") }
        guard let command = commands.first(where: { $0.name == word }) else {
            throw UsageError("unknown command \(Log.escape(word))")
        }
        return try command.run(
            AdminInvocation(arguments: Array(context.arguments.operands.dropFirst()), context: context))
    }
}
