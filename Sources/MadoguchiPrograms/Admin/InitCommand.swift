// InitCommand: `madoguchi init --dir DIR`: a complete self-contained instance under DIR
// (configuration, keys, spool, database, TLS certificate), built by InstanceInitializer.
// SECURITY: the key files are created 0600; an existing instance is never overwritten.

import Foundation
import MadoguchiCore
import MadoguchiInbox

/// The `init` subcommand.
public enum InitCommand: AdminCommand {
    /// The command word.
    public static let name = "init"

    /// The usage line (equals the madoguchi(8) SYNOPSIS entry).
    public static let usage = ["madoguchi [-nv] [--config file] init --dir directory"]

    /// Creates the instance; a relative directory is taken from the working directory.
    /// - Parameter invocation: `--dir directory`.
    /// - Returns: `.ok`.
    /// - Throws: `UsageError` without `--dir`, the initializer's errors (an existing instance,
    ///   a directory that cannot be created).
    public static func run(_ invocation: AdminInvocation) throws -> SysExit {
        let parsed = try CommandLineParser.parse(invocation.arguments, options: [OptionSpec("--dir", takesValue: true)])
        guard let directory = parsed.value("--dir"), parsed.operands.isEmpty else {
            throw UsageError("init needs --dir directory")
        }
        let layout = InstanceLayout(root: directory, workingDirectory: FileManager.default.currentDirectoryPath)
        try InstanceInitializer.create(layout)
        return .ok
    }
}
