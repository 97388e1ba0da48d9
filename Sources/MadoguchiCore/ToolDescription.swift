// ToolDescription: what a program tells the shared skeleton about itself: its
// name (also its log tag, lock file and man page), usage line, options, whether it
// needs the configuration file and whether it runs solitary under a lock.

/// A program's description for `ToolMain`.
public struct ToolDescription: Sendable {
    /// The program name: executable, log tag, lock file and man page.
    public let name: String
    /// Usage lines without the `usage: ` prefix; must match the man page SYNOPSIS.
    public let usage: [String]
    /// Program-specific options (besides `--config`, `-n`, `-v`, `-h`/`--help`).
    public let options: [OptionSpec]
    /// Whether the configuration file must exist.
    public let configuration: ConfigRequirement
    /// Whether the program takes `lock_directory/<name>.lock` for its whole run.
    public let solitary: Bool
    /// Whether options stop at the first operand (a command word with its own options).
    public let stopAtFirstOperand: Bool

    /// Options every program accepts.
    public static let commonOptions: [OptionSpec] = [
        OptionSpec("--config", takesValue: true), OptionSpec("-n"), OptionSpec("-v"),
        OptionSpec("-h"), OptionSpec("--help"),
    ]

    /// Describes a program.
    public init(
        name: String, usage: [String], options: [OptionSpec] = [], configuration: ConfigRequirement = .required,
        solitary: Bool = true, stopAtFirstOperand: Bool = false
    ) {
        self.name = name
        self.usage = usage
        self.options = options
        self.configuration = configuration
        self.solitary = solitary
        self.stopAtFirstOperand = stopAtFirstOperand
    }

    /// The usage text as printed: `usage: ` on the first line, aligned continuation lines.
    public var usageText: String {
        var text = ""
        for (index, line) in usage.enumerated() {
            text += (index == 0 ? "usage: " : "       ") + line + "\n"
        }
        return text
    }
}
