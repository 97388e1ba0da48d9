// FetchProgram: the body of fetch-forwarded-mail. Loads the accounts file and the
// spool PUBLIC key and its own fetch key (spool file names) only, runs FetchRun over the mailboxes and merges the run into the
// status file (other mailboxes keep their last result).
// SECURITY: never opens the database or the master key (it runs as madoguchi-fetch,
// which cannot read them); all it writes is sealed spool files and its own state.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail

/// fetch-forwarded-mail.
public enum FetchProgram {
    /// The program's description (usage equals the man page SYNOPSIS).
    public static let tool = ToolDescription(
        name: "fetch-forwarded-mail", usage: ["fetch-forwarded-mail [-nv] [--config file] [--mailbox name]"],
        options: [OptionSpec("--mailbox", takesValue: true)])

    /// The whole program: runs `run(_:now:)` under `ToolMain` and exits.
    public static func main() -> Never {
        ToolMain.run(tool) { context in try run(context) }
    }

    /// Fetches the configured mailboxes (or the one named by `--mailbox`).
    /// - Parameters:
    ///   - context: from `ToolMain`.
    ///   - now: the clock in Unix seconds (tests inject one for keep-days).
    /// - Returns: 0 when every mailbox was fetched cleanly, 75 when a failure was
    ///   transient, otherwise the highest permanent code (65 when a message stays
    ///   on the server, held or too large).
    /// - Throws: `UsageError`, `MailboxConfigError`, `KeyFileError`, `SystemError`.
    public static func run(_ context: ToolContext, now: @escaping () -> Int64 = { Int64(time(nil)) }) throws
        -> SysExit
    {
        guard context.arguments.operands.isEmpty else { throw UsageError("unexpected operand") }
        let started = Date()
        let configuration = context.configuration
        let stateDirectory = configuration[.fetchStateDirectory]
        // 0750: `madoguchi status` (group madoguchi) reads status.json; the state files stay 0600.
        if mkdir(stateDirectory, 0o750) != 0 && errno != EEXIST {
            throw SystemError.current("mkdir \(stateDirectory)")
        }
        let summary: FetchSummary
        let only = context.arguments.value("--mailbox")
        var names: [String]?
        do {
            var accounts = try AccountsFile.load(path: configuration[.fetchAccountsFile]).accounts
            names = accounts.map(\.name)
            if let only {
                accounts = accounts.filter { $0.name == only }
                guard !accounts.isEmpty else { throw MailboxConfigError.unknownMailbox(only) }
            }
            let publicKey = try SpoolPublicKey.load(
                path: configuration[.keyDirectory] + "/" + SpoolPublicKey.fileName)
            let identity = try FetchIdentityKey.load(
                path: configuration[.keyDirectory] + "/" + FetchIdentityKey.fileName)
            let spool = Spool(directory: configuration[.spoolDirectory])
            let stale =
                try spool.removeStaleTemporaryFiles(olderThan: 3600, now: now())
                + spool.removeOrphanedTemporaryFiles()
            if stale > 0 { context.log.info("removed \(stale) partial files left in \(spool.temporaryDirectory)") }
            var run = FetchRun(
                spool: spool, seal: { try SealedBox.seal($0, to: publicKey) }, identity: identity,
                stateDirectory: stateDirectory, limits: FetchLimits(configuration), log: context.log, now: now)
            // An administrator naming one mailbox wants it tried now, back-off or not.
            run.respectBackoff = only == nil
            summary = run.run(accounts)
        } catch {
            // Record the failure for `madoguchi mailbox list`, then report it as usual.
            do {
                let status = FetchStatus(
                    summary: FetchSummary(), start: started, end: Date(), error: error, scope: only)
                try status.merged(with: previousStatus(stateDirectory, context.log), accounts: names)
                    .save(directory: stateDirectory)
            } catch let statusError {
                context.log.error("cannot write the status file: \(statusError)")
            }
            throw error
        }
        // Under the program's lock no other run writes the file between load and save.
        try FetchStatus(summary: summary, start: started, end: Date(), scope: only)
            .merged(with: previousStatus(stateDirectory, context.log), accounts: names)
            .save(directory: stateDirectory)
        context.log.debug(
            "spooled \(summary.spooled), deleted \(summary.deleted), oversize \(summary.oversize), "
                + "failed mailboxes \(summary.failedMailboxes)")
        return summary.exitCode
    }

    /// The status file as the last run left it; nil when there is none or it cannot be
    /// read (it is then started afresh, with a warning).
    private static func previousStatus(_ directory: String, _ log: Log) -> FetchStatus? {
        do {
            return try FetchStatus.load(directory: directory)
        } catch {
            log.warning("the last status file is not readable, starting it afresh: \(error)")
            return nil
        }
    }
}
