// Quarantine: infected mail as the admin sees it — list, show (metadata or raw bytes),
// release (re-queue into the spool for a fresh scan) and delete.
// SECURITY: every action is audited, reads before anything is returned (fail closed),
// changes in the same transaction. release keeps the row until the spool file is
// durable, inside one write transaction, so scan-and-file cannot drop the re-queued copy
// as a duplicate first.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiStore

/// The quarantine table's operations.
public enum Quarantine {
    /// Every quarantined message, newest first; audited (`quarantine-list`) before returning.
    /// - Throws: `StoreError`.
    public static func list(in instance: InstanceDatabase, actor: String) throws -> [Entry] {
        try instance.database.write { tx in
            let entries = try tx.rows("SELECT \(entryColumns) ORDER BY q.received_at DESC, q.id DESC").map(entry)
            try AuditLog.append(
                AuditEvent(
                    actor: actor, action: .quarantineList, detail: AuditDetail.counts(["results": entries.count])
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
                AuditEvent(actor: actor, action: .quarantineShow, target: "quarantine:\(id)"), in: tx)
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
                AuditEvent(actor: actor, action: .quarantineShowRaw, target: "quarantine:\(id)"), in: tx)
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
            path: configuration[.keyDirectory] + "/" + SpoolPublicKey.fileName)
        let spool = Spool(directory: configuration[.spoolDirectory])
        return try instance.database.write { tx in
            let (spooled, raw) = try Self.envelope(id, in: tx)
            let (name, _) = try spool.deliver(raw, envelope: spooled) { try SealedBox.seal($0, to: publicKey) }
            CrashPoint.reach("after-release-spool")
            try removeRow(id, action: .quarantineRelease, actor: actor, in: tx)
            return name
        }
    }

    /// Deletes the row with an audit entry (`quarantine-delete`) in one transaction.
    /// - Throws: `QuarantineError.notFound`, `StoreError`.
    public static func delete(_ id: Int64, in instance: InstanceDatabase, actor: String) throws {
        try instance.database.write { tx in
            try removeRow(id, action: .quarantineDelete, actor: actor, in: tx)
        }
    }

    /// The envelope and raw message a quarantined row is re-queued or filed with: its
    /// mailbox and its fetch time.
    /// - Throws: `QuarantineError`, `StoreError`, `CryptoError`.
    public static func envelope(_ id: Int64, in tx: DatabaseTransaction) throws -> (SpoolEnvelope, [UInt8]) {
        let row = try quarantineRow(id, in: tx)
        let raw = try tx.open(row["raw_enc"], table: "quarantine", column: "raw_enc", row: id) ?? []
        let intakeID = row.string("intake_id") ?? ""
        guard let mailbox = row.string("mailbox"), !mailbox.isEmpty else { throw QuarantineError.noMailbox(id: id) }
        // The spool file is named after the database's own intake id; scan-and-file files
        // it by the id it computes from the bytes again, never by this one.
        let envelope = SpoolEnvelope(
            intakeID: mailbox + ":" + intakeID, mailbox: mailbox, source: "quarantine:\(id)",
            fetchedAt: row.int64("received_at") ?? 0, size: raw.count)
        return (envelope, raw)
    }

    /// Deletes quarantined row `id` and records `action` for it in the same transaction.
    /// - Parameters:
    ///   - id: the quarantine id.
    ///   - action: what removed it (release, release without scanning, delete).
    ///   - actor: who removed it.
    ///   - detail: the audit detail, if any.
    ///   - tx: the write transaction of the change.
    /// - Throws: `QuarantineError.notFound`, `StoreError`.
    public static func removeRow(
        _ id: Int64, action: AuditAction, actor: String, detail: String? = nil, in tx: DatabaseTransaction
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
