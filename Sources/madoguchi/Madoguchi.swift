// madoguchi: the admin command. Thin: parses the command word and hands over to
// the library that implements it.

import MadoguchiCore
import MadoguchiMail

@main
struct Madoguchi {
    static let tool = ToolDescription(
        name: "madoguchi",
        usage: ["madoguchi [-nv] [--config file] command [argument ...]", InspectMailCommand.usage],
        configuration: .optional, solitary: false, stopAtFirstOperand: true)

    static func main() {
        ToolMain.run(tool) { context in
            guard let command = context.arguments.operands.first else { throw UsageError("no command given") }
            let rest = Array(context.arguments.operands.dropFirst())
            if command == "inspect-mail" { return InspectMailCommand.run(arguments: rest, context: context) }
            throw UsageError("unknown command \(command)")
        }
    }
}
