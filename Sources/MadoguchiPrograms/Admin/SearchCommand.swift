// SearchCommand: `madoguchi search [--json] [--limit N] [--mailbox M] QUERY`: the
// encrypted substring search (SearchIndex) with the newest N matches grouped into
// inquiries, printed like `madoguchi list`; a note on standard error when the result
// limit or the candidate cap was reached.
// SECURITY: audited before anything is printed (fail closed); the audit entry holds the
// query's bigram count and the result count, never the query text (madoguchi-security(7) SEARCH INDEX).

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// The `search` subcommand.
public enum SearchCommand: AdminCommand {
    /// The command word.
    public static let name = "search"

    /// The subcommand's usage lines.
    public static let usage = ["madoguchi [-nv] [--config file] search [--json] [--limit n] [--mailbox name] query"]

    /// Runs `search`.
    /// - Parameter invocation: the query and options; truncation and limit notes go to the error output.
    /// - Returns: `.ok`.
    /// - Throws: `UsageError` (no or empty query, bad `--limit`, unknown mailbox), `StoreError` (also when the
    ///   audit entry cannot be written: then nothing is printed), `CryptoError`, key errors.
    public static func run(_ invocation: AdminInvocation) throws -> SysExit {
        let arguments = invocation.arguments
        let context = invocation.context
        let output = invocation.output
        let errorOutput = invocation.errorOutput
        let actor = invocation.actor
        let parsed = try CommandLineParser.parse(
            arguments,
            options: [
                OptionSpec("--json"), OptionSpec("--limit", takesValue: true),
                OptionSpec("--mailbox", takesValue: true),
            ])
        guard parsed.operands.count == 1, let query = parsed.operands.first else {
            throw UsageError("search needs exactly one query (quote it if it contains spaces)")
        }
        var resultLimit: Int? = InquirySearch.defaultResultLimit
        if let text = parsed.value("--limit") {
            guard let number = Int(text), number >= 0 else {
                throw UsageError("--limit needs a number of messages (0 for no limit)")
            }
            resultLimit = number == 0 ? nil : number
        }
        let instance = try InstanceDatabase.open(configuration: context.configuration)
        let limit = Int(clamping: max(1, context.configuration[.searchCandidateLimit]))
        let report = try AdminOutput.usageErrors {
            try InquirySearch.run(
                query, mailbox: parsed.value("--mailbox"), in: instance, candidateLimit: limit,
                resultLimit: resultLimit,
                actor: AccessActor(actor: actor))
        }
        try ListCommand.write(report.inquiries, json: parsed.has("--json"), to: output)
        if report.limited, let resultLimit {
            let note =
                "madoguchi: search: showing the inquiries of the newest \(resultLimit) matching messages;"
                + " older matches are not shown (use --limit 0 for all)\n"
            FileDescriptorWriter.writeAll(errorOutput, Array(note.utf8))
        } else if report.truncated {
            let note =
                "madoguchi: search: more than \(limit) candidates; older matches may be missing"
                + " (use a longer query or --mailbox)\n"
            FileDescriptorWriter.writeAll(errorOutput, Array(note.utf8))
        }
        return .ok
    }
}
