// ListCommand: `madoguchi list [--json] [--status S] [--mailbox M]`: every inquiry,
// newest activity first, as aligned text or one JSON object per line.
// SECURITY: shows decrypted subjects, so the listing is audit-logged (fail closed:
// nothing is printed unless the audit entry is committed); customers by pseudonym only.

import Foundation
import MadoguchiCore

/// The `list` subcommand.
public enum ListCommand {
    /// The subcommand's usage line.
    public static let usage = "madoguchi [-nv] [--config file] list [--json] [--status status] [--mailbox name]"

    /// Runs `list`.
    /// - Parameters:
    ///   - arguments: the words after `list`.
    ///   - context: the tool context (the configuration names the instance).
    ///   - output: file descriptor for the listing.
    ///   - actor: the audit actor (default `cli:<login>`).
    /// - Returns: `.ok`.
    /// - Throws: `UsageError` (bad options, unknown status or mailbox), `StoreError`, `CryptoError`,
    ///   key errors.
    public static func run(
        arguments: [String], context: ToolContext, output: Int32 = 1, actor: String = AdminActor.current()
    ) throws -> SysExit {
        let parsed = try CommandLineParser.parse(
            arguments,
            options: [
                OptionSpec("--json"), OptionSpec("--status", takesValue: true),
                OptionSpec("--mailbox", takesValue: true),
            ])
        guard parsed.operands.isEmpty else { throw UsageError("list takes no operands") }
        let status = parsed.value("--status")
        if let status, !InquirySummary.statuses.contains(status) {
            throw UsageError(
                "unknown status \(Log.escape(status)); use one of \(InquirySummary.statuses.joined(separator: ", "))")
        }
        let instance = try InstanceDatabase.open(configuration: context.configuration)
        let summaries = try instance.database.write { tx in
            let mailboxID = try parsed.value("--mailbox").map { try InquirySummary.mailboxID(named: $0, in: tx) }
            let found = try InquirySummary.load(status: status, mailboxID: mailboxID, in: tx)
            try AuditLog.append(
                AuditEvent(
                    actor: actor, action: "list", target: mailboxID.map { "mailbox:\($0)" },
                    detail: AdminOutput.auditDetail(["results": found.count])), in: tx)
            return found
        }
        try write(summaries, json: parsed.has("--json"), to: output)
        return .ok
    }

    /// Prints summaries as JSON lines or as a table.
    /// - Throws: `SystemError` if the output cannot be written, `EncodingError`.
    static func write(_ summaries: [InquirySummary], json: Bool, to output: Int32) throws {
        if json {
            var buffer: [UInt8] = []
            for summary in summaries {
                buffer += try AdminOutput.jsonLine(summary)
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
