// madoguchi: the admin command. Thin: parses the command word and hands over to
// the library that implements it.

import MadoguchiCore

@main
struct Madoguchi {
    static let tool = ToolDescription(
        name: "madoguchi",
        usage: [
            "madoguchi [-nv] [--config file] init --dir directory",
            "madoguchi [-nv] [--config file] inspect-mail [--json] file ...",
        ],
        configuration: .optional, solitary: false, stopAtFirstOperand: true)

    static func main() {
        ToolMain.run(tool) { context in
            guard let command = context.arguments.operands.first else { throw UsageError("no command given") }
            throw UsageError("unknown command \(command)")
        }
    }
}
