// EnqueueCommand: `madoguchi enqueue [--mailbox name] file ...` seals .eml files into
// the spool exactly as fetch-forwarded-mail does (same envelope and keyed intake id,
// source `enqueue:<file name>`), for admins importing mail, the demo and tests.
// SECURITY: seals with the spool public key (it cannot read the spool back); opens the
// database only to check the mailbox and to write one `enqueue` audit entry per file in
// the transaction that queues it.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiFetch
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// `madoguchi enqueue`.
public enum EnqueueCommand: AdminCommand {
    /// The command word.
    public static let name = "enqueue"

    /// The usage line (equals the madoguchi(8) SYNOPSIS entry).
    public static let usage = ["madoguchi [-nv] [--config file] enqueue [--mailbox name] file ..."]

    /// The mailbox name used without `--mailbox`.
    public static let defaultMailbox = Mailboxes.enqueue

    /// Seals each file into `spool_directory/incoming`. A file that cannot be read or is
    /// not acceptable is reported and the others still go in.
    /// - Parameter invocation: the files (and `--mailbox`); `-v` lists `intake-id file` lines on the output.
    /// - Returns: 0, or 66 when a file could not be read, 65 when one was empty or too large.
    /// - Throws: `UsageError` (also for a mailbox the database does not know), `KeyFileError`,
    ///   `SystemError`, `CryptoError`, `StoreError` (spool-wide failures; files queued before it stay).
    public static func run(_ invocation: AdminInvocation) throws -> SysExit {
        let arguments = invocation.arguments
        let context = invocation.context
        let output = invocation.output
        let now = invocation.now
        let parsed = try CommandLineParser.parse(arguments, options: [OptionSpec("--mailbox", takesValue: true)])
        guard !parsed.operands.isEmpty else { throw UsageError("enqueue needs at least one file") }
        let mailbox = parsed.value("--mailbox") ?? defaultMailbox
        guard AccountsFile.isValidName(mailbox) else {
            throw UsageError(AccountsFile.nameRule)
        }
        let configuration = context.configuration
        let keyDirectory = configuration[.keyDirectory]
        let publicKey = try SpoolPublicKey.load(path: keyDirectory + "/" + SpoolPublicKey.fileName)
        let identity = try FetchIdentityKey.load(path: keyDirectory + "/" + FetchIdentityKey.fileName)
        let spool = Spool(directory: configuration[.spoolDirectory])
        let limit = Int(configuration[.mailMaxMessageSize])
        var status = SysExit.ok
        var messages: [(file: String, raw: [UInt8])] = []
        for file in parsed.operands {
            let raw: [UInt8]
            do {
                raw = try DurableFile.read(file, limit: limit)
            } catch let error as SystemError {
                context.log.error(
                    "\(Log.escape(file)): \(error.code == EFBIG ? "larger than mail_max_message_size" : "\(error)")")
                status = worse(status, error.code == EFBIG ? .dataError : .noInput)
                continue
            }
            guard !raw.isEmpty else {
                context.log.error("\(Log.escape(file)): empty file, nothing enqueued")
                status = worse(status, .dataError)
                continue
            }
            messages.append((file, raw))
        }
        guard !messages.isEmpty else { return status }
        // Each spool file with its audit entry in one write transaction: a file is queued
        // only while its `enqueue` entry is being committed (a failed commit can leave that
        // one file without its entry, never an entry without a file).
        let instance = try InstanceDatabase.open(configuration: configuration)
        let mailboxID = try AdminOutput.usageErrors {
            try instance.database.read { try InquirySummary.mailboxID(named: mailbox, in: $0) }
        }
        var lines: [String] = []
        for (file, raw) in messages {
            let base = file.split(separator: "/").last.map(String.init) ?? file
            let envelope = try SpoolEnvelope(
                mailbox: mailbox, source: "enqueue:\(base)", fetchedAt: now(), raw: raw, identity: identity)
            try instance.database.write { tx in
                try spool.deliver(raw, envelope: envelope) { try SealedBox.seal($0, to: publicKey) }
                try AuditLog.append(
                    AuditEvent(
                        actor: invocation.actor, action: .enqueue, target: "mailbox:\(mailboxID)",
                        detail: AuditDetail.counts(["bytes": raw.count])), in: tx)
            }
            lines.append("\(envelope.intakeID) \(Log.escape(file))\n")
        }
        if context.verbose { FileDescriptorWriter.writeAll(output, Array(lines.joined().utf8)) }
        return status
    }

    /// 66 (unreadable) outranks 65 (bad content).
    private static func worse(_ current: SysExit, _ new: SysExit) -> SysExit {
        current.rawValue >= new.rawValue ? current : new
    }
}
