// madoguchi: the admin command. Thin: parses the command word and hands over to
// the library that implements it.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiMail

@main
struct Madoguchi {
    static let tool = ToolDescription(
        name: "madoguchi",
        usage: ["madoguchi [-nv] [--config file] init --dir directory", InspectMailCommand.usage]
            + MailboxCommand.usage + [EnqueueCommand.usage, ListCommand.usage, SearchCommand.usage]
            + QuarantineCommand.usage,
        configuration: .optional, solitary: false, stopAtFirstOperand: true)

    static func main() {
        ToolMain.run(tool) { context in
            guard let command = context.arguments.operands.first else { throw UsageError("no command given") }
            let rest = Array(context.arguments.operands.dropFirst())
            switch command {
            case "inspect-mail": return InspectMailCommand.run(arguments: rest, context: context)
            case "init": return try initInstance(rest)
            case "mailbox": return try MailboxCommand.run(arguments: rest, context: context)
            case "enqueue": return try EnqueueCommand.run(arguments: rest, context: context)
            case "list": return try ListCommand.run(arguments: rest, context: context)
            case "search": return try SearchCommand.run(arguments: rest, context: context)
            case "quarantine": return try QuarantineCommand.run(arguments: rest, context: context)
            default: break
            }
            throw UsageError("unknown command \(Log.escape(command))")
        }
    }

    static func initInstance(_ arguments: [String]) throws -> SysExit {
        let parsed = try CommandLineParser.parse(arguments, options: [OptionSpec("--dir", takesValue: true)])
        guard let directory = parsed.value("--dir"), parsed.operands.isEmpty else {
            throw UsageError("init needs --dir directory")
        }
        let layout = InstanceLayout(root: directory, workingDirectory: FileManager.default.currentDirectoryPath)
        try InstanceInitializer.create(layout)
        return .ok
    }
}
