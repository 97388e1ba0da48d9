// EnqueueCommand: `madoguchi enqueue [--mailbox name] file ...` seals .eml files into
// the spool exactly as fetch-forwarded-mail does (same envelope and intake id,
// source `enqueue:<file name>`), for admins importing mail, the demo and tests.
// SECURITY: uses only the spool public key; never opens the database.

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
    public static let defaultMailbox = "enqueue"

    /// Seals each file into `spool_directory/incoming`. A file that cannot be read or is
    /// not acceptable is reported and the others still go in.
    /// - Parameter invocation: the files (and `--mailbox`); `-v` lists `intake-id file` lines on the output.
    /// - Returns: 0, or 66 when a file could not be read, 65 when one was empty or too large.
    /// - Throws: `UsageError`, `KeyFileError`, `SystemError`, `CryptoError` (spool-wide failures).
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
        let publicKey = try SpoolPublicKey.load(
            path: configuration[.keyDirectory] + "/" + SpoolPublicKey.fileName)
        let spool = Spool(directory: configuration[.spoolDirectory])
        let limit = Int(configuration[.mailMaxMessageSize])
        var status = SysExit.ok
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
            let base = file.split(separator: "/").last.map(String.init) ?? file
            let envelope = SpoolEnvelope(mailbox: mailbox, source: "enqueue:\(base)", fetchedAt: now(), raw: raw)
            try spool.deliver(raw, envelope: envelope) { try SealedBox.seal($0, to: publicKey) }
            if context.verbose {
                FileDescriptorWriter.writeAll(output, Array("\(envelope.intakeID) \(Log.escape(file))\n".utf8))
            }
        }
        return status
    }

    /// 66 (unreadable) outranks 65 (bad content).
    private static func worse(_ current: SysExit, _ new: SysExit) -> SysExit {
        current.rawValue >= new.rawValue ? current : new
    }
}
