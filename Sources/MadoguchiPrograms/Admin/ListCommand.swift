// ListCommand: `madoguchi list [--json] [--status S] [--mailbox M]`: every inquiry,
// newest activity first, as aligned text or one JSON object per line.
// SECURITY: shows decrypted subjects, so the listing is audit-logged (fail closed:
// nothing is printed unless the audit entry is committed); customers by pseudonym only.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// The `list` subcommand.
public enum ListCommand: AdminCommand {
    /// The command word.
    public static let name = "list"

    /// The subcommand's usage lines.
    public static let usage = ["madoguchi [-nv] [--config file] list [--json] [--status status] [--mailbox name]"]

    /// Runs `list`.
    /// - Parameter invocation: the options; the configuration names the instance.
    /// - Returns: `.ok`.
    /// - Throws: `UsageError` (bad options, unknown status or mailbox), `StoreError`, `CryptoError`,
    ///   key errors.
    public static func run(_ invocation: AdminInvocation) throws -> SysExit {
        let arguments = invocation.arguments
        let context = invocation.context
        let output = invocation.output
        let actor = invocation.actor
        let parsed = try CommandLineParser.parse(
            arguments,
            options: [
                OptionSpec("--json"), OptionSpec("--status", takesValue: true),
                OptionSpec("--mailbox", takesValue: true),
            ])
        guard parsed.operands.isEmpty else { throw UsageError("list takes no operands") }
        let summaries = try AdminOutput.usageErrors {
            let status = parsed.value("--status")
            try InquiryList.check(status: status)
            let instance = try InstanceDatabase.open(configuration: context.configuration)
            return try InquiryList.load(
                status: status, mailbox: parsed.value("--mailbox"), in: instance, actor: actor)
        }
        try write(summaries, json: parsed.has("--json"), to: output)
        return .ok
    }

    /// Prints summaries as JSON lines or as a table.
    /// - Throws: `SystemError` if the output cannot be written.
    static func write(_ summaries: [InquirySummary], json: Bool, to output: Int32) throws {
        if json {
            var buffer: [UInt8] = []
            for summary in summaries {
                buffer += summary.jsonLine
                if buffer.count >= 1 << 16 {
                    try AdminOutput.write(buffer, to: output)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try AdminOutput.write(buffer, to: output)
        } else {
            try AdminOutput.write(Array(InquirySummary.table(summaries).utf8), to: output)
        }
    }
}
