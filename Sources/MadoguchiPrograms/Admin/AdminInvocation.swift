// AdminInvocation: what a `madoguchi` subcommand runs with — the words after its name,
// the tool context, its file descriptors, the audit actor and the clock. Tests build
// one with other descriptors, a fixed actor or an injected clock.

import Glibc
import MadoguchiCore

/// One run of a subcommand.
public struct AdminInvocation: Sendable {
    /// The words after the command word.
    public var arguments: [String]
    /// From `ToolMain`: the configuration, the log and the common options.
    public var context: ToolContext
    /// Where `--password-stdin` and similar read (standard input by default).
    public var input: Int32
    /// Where results are printed (standard output by default).
    public var output: Int32
    /// Where notes beside the results go (standard error by default).
    public var errorOutput: Int32
    /// Who the audit log names (`cli:<login>` by default, see `AdminActor`).
    public var actor: String
    /// The clock in Unix seconds.
    public var now: @Sendable () -> Int64

    /// An invocation on the standard descriptors, as the invoking user, at the real time.
    public init(
        arguments: [String], context: ToolContext, input: Int32 = 0, output: Int32 = 1, errorOutput: Int32 = 2,
        actor: String = AdminActor.current(), now: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }
    ) {
        self.arguments = arguments
        self.context = context
        self.input = input
        self.output = output
        self.errorOutput = errorOutput
        self.actor = actor
        self.now = now
    }
}
