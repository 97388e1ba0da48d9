// QuarantineCommand: `madoguchi quarantine list|show|release|delete` — the admin's
// view of infected mail. release re-queues the raw message into the spool for a fresh
// scan; release --force files it without scanning; delete removes it.
// SECURITY: every action is audited (actor cli:<login>), reads before output (fail
// closed), changes in the same transaction. The raw message is never written to a
// terminal. release keeps the row until the spool file is durable, inside one write
// transaction, so scan-and-file cannot drop the re-queued copy as a duplicate first.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// The `quarantine` subcommand.
public enum QuarantineCommand: AdminCommand {
    /// The command word.
    public static let name = "quarantine"

    /// The subcommand's usage lines.
    public static let usage = [
        "madoguchi [-nv] [--config file] quarantine list [--json]",
        "madoguchi [-nv] [--config file] quarantine show [--raw] id",
        "madoguchi [-nv] [--config file] quarantine release [--force] id",
        "madoguchi [-nv] [--config file] quarantine delete id",
    ]

    /// Runs `quarantine`.
    /// - Parameter invocation: the `quarantine` words; the configuration names the instance and spool.
    /// - Returns: `.ok`.
    /// - Throws: `UsageError`, `QuarantineError`, `StoreError`, `CryptoError`, `SystemError`.
    public static func run(_ invocation: AdminInvocation) throws -> SysExit {
        let arguments = invocation.arguments
        let context = invocation.context
        let output = invocation.output
        let actor = invocation.actor
        guard let action = arguments.first else { throw UsageError("quarantine needs list, show, release or delete") }
        let allowed: [String: [OptionSpec]] = [
            "list": [OptionSpec("--json")], "show": [OptionSpec("--raw")], "release": [OptionSpec("--force")],
            "delete": [],
        ]
        guard let options = allowed[action] else {
            throw UsageError("unknown quarantine action \(Log.escape(action))")
        }
        let parsed = try CommandLineParser.parse(Array(arguments.dropFirst()), options: options)
        if action == "list" {
            guard parsed.operands.isEmpty else { throw UsageError("quarantine list takes no operands") }
            let entries = try Quarantine.list(
                in: InstanceDatabase.open(configuration: context.configuration), actor: actor)
            if parsed.has("--json") {
                try AdminOutput.write(entries.flatMap(\.jsonLine), to: output)
            } else {
                try AdminOutput.write(Array(Quarantine.table(entries).utf8), to: output)
            }
            return .ok
        }
        guard parsed.operands.count == 1, let id = Int64(parsed.operands[0]), id > 0 else {
            throw UsageError("quarantine \(action) needs one quarantine id")
        }
        if action == "show" && parsed.has("--raw") && isatty(output) == 1 { throw QuarantineError.rawToTerminal }
        let instance = try InstanceDatabase.open(configuration: context.configuration)
        let message: String
        switch action {
        case "show" where parsed.has("--raw"):
            try AdminOutput.write(try Quarantine.raw(id, in: instance, actor: actor), to: output)
            return .ok
        case "show":
            message = try Quarantine.show(id, in: instance, actor: actor).text
        case "release" where parsed.has("--force"):
            if let inquiry = try Quarantine.releaseWithoutScan(
                id, in: instance, configuration: context.configuration, log: context.log, actor: actor)
            {
                message = "quarantine \(id) filed without scanning into inquiry \(inquiry)\n"
            } else {
                message = "quarantine \(id) was already filed; removed from quarantine\n"
            }
        case "release":
            let name = try Quarantine.release(id, in: instance, configuration: context.configuration, actor: actor)
            message = "quarantine \(id) re-queued for scanning as spool file \(name)\n"
        default:
            try Quarantine.delete(id, in: instance, actor: actor)
            message = "quarantine \(id) deleted\n"
        }
        try AdminOutput.write(Array(message.utf8), to: output)
        return .ok
    }
}
