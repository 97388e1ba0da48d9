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
import MadoguchiMail
import MadoguchiStore

/// The `quarantine` subcommand.
public enum QuarantineCommand {
    /// The subcommand's usage lines.
    public static let usage = [
        "madoguchi [-nv] [--config file] quarantine list [--json]",
        "madoguchi [-nv] [--config file] quarantine show [--raw] id",
        "madoguchi [-nv] [--config file] quarantine release [--force] id",
        "madoguchi [-nv] [--config file] quarantine delete id",
    ]

    /// Runs `quarantine`.
    /// - Parameters:
    ///   - arguments: the words after `quarantine`.
    ///   - context: the tool context (the configuration names the instance and spool).
    ///   - output: file descriptor for results.
    ///   - actor: the audit actor (default `cli:<login>`).
    /// - Returns: `.ok`.
    /// - Throws: `UsageError`, `QuarantineError`, `StoreError`, `CryptoError`, `SystemError`.
    public static func run(
        arguments: [String], context: ToolContext, output: Int32 = 1, actor: String = AdminActor.current()
    ) throws -> SysExit {
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
            let entries = try list(in: InstanceDatabase.open(configuration: context.configuration), actor: actor)
            if parsed.has("--json") {
                try AdminOutput.write(entries.flatMap { try AdminOutput.jsonLine($0) }, to: output)
            } else {
                try AdminOutput.write(Array(table(entries).utf8), to: output)
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
            try AdminOutput.write(try raw(id, in: instance, actor: actor), to: output)
            return .ok
        case "show":
            message = try show(id, in: instance, actor: actor).text
        case "release" where parsed.has("--force"):
            if let inquiry = try releaseWithoutScan(id, in: instance, context: context, actor: actor) {
                message = "quarantine \(id) filed without scanning into inquiry \(inquiry)\n"
            } else {
                message = "quarantine \(id) was already filed; removed from quarantine\n"
            }
        case "release":
            let name = try release(id, in: instance, configuration: context.configuration, actor: actor)
            message = "quarantine \(id) re-queued for scanning as spool file \(name)\n"
        default:
            try delete(id, in: instance, actor: actor)
            message = "quarantine \(id) deleted\n"
        }
        try AdminOutput.write(Array(message.utf8), to: output)
        return .ok
    }

    /// Every quarantined message, newest first; audited (`quarantine-list`) before returning.
    /// - Throws: `StoreError`.
    public static func list(in instance: InstanceDatabase, actor: String) throws -> [Entry] {
        try instance.database.write { tx in
            let entries = try tx.rows("SELECT \(entryColumns) ORDER BY q.received_at DESC, q.id DESC").map(entry)
            try AuditLog.append(
                AuditEvent(
                    actor: actor, action: "quarantine-list", detail: AdminOutput.auditDetail(["results": entries.count])
                ), in: tx)
            return entries
        }
    }

    /// One message's metadata, decrypted; audited (`quarantine-show`) before returning.
    /// - Throws: `QuarantineError.notFound`, `StoreError`, `CryptoError`.
    public static func show(_ id: Int64, in instance: InstanceDatabase, actor: String) throws -> Details {
        try instance.database.write { tx in
            let row = try quarantineRow(id, in: tx)
            let metadata = try tx.open(row["metadata_enc"], table: "quarantine", column: "metadata_enc", row: id)
            try AuditLog.append(
                AuditEvent(actor: actor, action: "quarantine-show", target: "quarantine:\(id)"), in: tx)
            return details(row, metadata: metadata)
        }
    }

    /// The raw message bytes; audited (`quarantine-show-raw`) before returning.
    /// - Throws: `QuarantineError.notFound`, `StoreError`, `CryptoError`.
    public static func raw(_ id: Int64, in instance: InstanceDatabase, actor: String) throws -> [UInt8] {
        try instance.database.write { tx in
            let row = try quarantineRow(id, in: tx)
            let raw = try tx.open(row["raw_enc"], table: "quarantine", column: "raw_enc", row: id) ?? []
            try AuditLog.append(
                AuditEvent(actor: actor, action: "quarantine-show-raw", target: "quarantine:\(id)"), in: tx)
            return raw
        }
    }

    /// Re-queues the raw message into the spool (sealed to `key_directory/spool.pub`, the
    /// original mailbox and fetch time) for scan-and-file to scan again, then removes the
    /// row with an audit entry (`quarantine-release`) — all inside one write transaction,
    /// the spool file made durable before the commit.
    /// - Returns: the spool file name.
    /// - Throws: `QuarantineError`, `StoreError`, `CryptoError`, `KeyFileError`, `SystemError`.
    @discardableResult
    public static func release(
        _ id: Int64, in instance: InstanceDatabase, configuration: Configuration, actor: String
    ) throws -> String {
        let publicKey = try SpoolPublicKey.load(
            path: configuration.path("key_directory") + "/" + SpoolPublicKey.fileName)
        let spool = Spool(directory: configuration.path("spool_directory"))
        return try instance.database.write { tx in
            let (spooled, raw) = try Self.envelope(id, in: tx)
            let (name, _) = try spool.deliver(raw, envelope: spooled) { try SealedBox.seal($0, to: publicKey) }
            try removeRow(id, action: "quarantine-release", actor: actor, in: tx)
            return name
        }
    }

    /// Deletes the row with an audit entry (`quarantine-delete`) in one transaction.
    /// - Throws: `QuarantineError.notFound`, `StoreError`.
    public static func delete(_ id: Int64, in instance: InstanceDatabase, actor: String) throws {
        try instance.database.write { tx in
            try removeRow(id, action: "quarantine-delete", actor: actor, in: tx)
        }
    }

    /// The envelope and raw message a quarantined row is re-queued or filed with: its
    /// mailbox (from the row, or else from the intake id `<mailbox>:<sha256>`), its fetch
    /// time, and thereby its original intake id.
    /// - Throws: `QuarantineError`, `StoreError`, `CryptoError`.
    static func envelope(_ id: Int64, in tx: DatabaseTransaction) throws -> (SpoolEnvelope, [UInt8]) {
        let row = try quarantineRow(id, in: tx)
        let raw = try tx.open(row["raw_enc"], table: "quarantine", column: "raw_enc", row: id) ?? []
        let intakeID = row.string("intake_id") ?? ""
        let mailbox = row.string("mailbox") ?? String(intakeID.dropLast(65))
        guard !mailbox.isEmpty else { throw QuarantineError.noMailbox(id: id) }
        let envelope = SpoolEnvelope(
            mailbox: mailbox, source: "quarantine:\(id)", fetchedAt: row.int64("received_at") ?? 0, raw: raw)
        return (envelope, raw)
    }

    static func removeRow(
        _ id: Int64, action: String, actor: String, detail: String? = nil, in tx: DatabaseTransaction
    ) throws {
        guard try tx.run("DELETE FROM quarantine WHERE id = ?", [.integer(id)]) == 1 else {
            throw QuarantineError.notFound(id: id)
        }
        try AuditLog.append(
            AuditEvent(actor: actor, action: action, target: "quarantine:\(id)", detail: detail), in: tx)
    }

    private static func quarantineRow(_ id: Int64, in tx: DatabaseTransaction) throws -> Row {
        guard
            let row = try tx.rows(
                "SELECT q.raw_enc, q.metadata_enc, \(entryColumns) WHERE q.id = ?",
                [.integer(id)]
            ).first
        else { throw QuarantineError.notFound(id: id) }
        return row
    }
}
