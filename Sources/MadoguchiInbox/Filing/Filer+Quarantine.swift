// Filer+Quarantine: infected mail goes to the `quarantine` table, never to an inquiry
// (A20): raw message and metadata (from/subject/date/size as parsed) sealed, kept
// `quarantine_days`, audit-logged in the same transaction; expired rows are purged.
// SECURITY: the metadata is for administrators only; it is not indexed for search.

import Foundation
import MadoguchiCore
import MadoguchiMail
import MadoguchiStore

extension Filer {
    /// The audit actor of quarantine events.
    public static let auditActor = "system:scan-and-file"

    /// Quarantines one message clamd found infected. Idempotent by intake id (an id
    /// already quarantined or filed is a no-op).
    /// - Parameters:
    ///   - envelope: the spool envelope.
    ///   - raw: the message bytes.
    ///   - virus: clamd's signature name.
    ///   - now: the time; `purge_after` is `now + quarantine_days`.
    /// - Returns: `.quarantined(id:)` or `.duplicate`.
    /// - Throws: `StoreError`, `CryptoError`.
    public func quarantine(envelope: SpoolEnvelope, raw: [UInt8], virus: String, now: Date = Date()) throws
        -> QuarantineResult
    {
        let message = timings.measure("parse") { parser.parse(raw) }
        let metadata = Filer.quarantineMetadata(message)
        let seconds = Int64(now.timeIntervalSince1970)
        let envelope = try envelope.trusted(raw, keys: keys)
        return try database.write { tx -> QuarantineResult in
            let known = try tx.rows(
                "SELECT 1 FROM quarantine WHERE intake_id = ? UNION ALL SELECT 1 FROM messages WHERE intake_id = ?",
                [.text(envelope.intakeID), .text(envelope.intakeID)])
            guard known.isEmpty else { return .duplicate }
            let mailboxID = try Filer.mailboxID(envelope.mailbox, in: tx, now: seconds)
            var row = RowValues()
            row.set("intake_id", .text(envelope.intakeID))
            row.set("mailbox_id", .integer(mailboxID))
            row.set("received_at", .integer(envelope.fetchedAt))
            row.set("size", .int(raw.count))
            row.set("virus_name", .text(virus))
            row.seal("raw_enc", raw)
            row.seal("metadata_enc", metadata)
            row.set("purge_after", .integer(seconds + quarantineDays * 86_400))
            let id = try tx.insert(into: "quarantine", row)
            try AuditLog.append(
                AuditEvent(
                    actor: Filer.auditActor, action: .quarantine, target: "quarantine:\(id)",
                    detail: Filer.json("virus", virus)), in: tx, now: now)
            CrashPoint.reach("during-commit")
            return .quarantined(id: id)
        }
    }

    /// Completes a `madoguchi quarantine release` that was killed after writing its spool
    /// file but before its transaction removed the row: when a clean message re-queued
    /// from quarantine row `n` (source `quarantine:<n>`) is filed, that row — if it still
    /// holds the same bytes (same intake id) — is removed, with an audit entry
    /// (`quarantine-release`, actor `system:scan-and-file`, detail `{"completed":1}`). So a
    /// message is never both filed and quarantined. Only scan-and-file's batch filing does
    /// this; `release --force` removes its row itself.
    /// - Throws: `StoreError`.
    func completeRelease(of envelope: SpoolEnvelope, raw: [UInt8], in tx: DatabaseTransaction, now: Int64) throws {
        guard envelope.source.hasPrefix("quarantine:"), let id = Int64(envelope.source.dropFirst(11)) else { return }
        let intakeID = try IntakeID.of(raw, mailbox: envelope.mailbox, keys: keys)
        guard
            try tx.run("DELETE FROM quarantine WHERE id = ? AND intake_id = ?", [.integer(id), .text(intakeID)]) == 1
        else { return }
        try AuditLog.append(
            AuditEvent(
                actor: Filer.auditActor, action: .quarantineRelease, target: "quarantine:\(id)",
                detail: AuditDetail.counts(["completed": 1])), in: tx,
            now: Date(timeIntervalSince1970: Double(now)))
    }

    /// Deletes quarantined messages whose `purge_after` has passed, one audit entry each.
    /// - Returns: how many were deleted.
    /// - Throws: `StoreError`.
    @discardableResult
    public func purgeQuarantine(now: Date = Date()) throws -> Int {
        let seconds = Int64(now.timeIntervalSince1970)
        return try database.write { tx in
            let expired = try tx.rows(
                "SELECT id FROM quarantine WHERE purge_after <= ? ORDER BY id", [.integer(seconds)]
            ).compactMap { $0.int64("id") }
            for id in expired {
                try tx.run("DELETE FROM quarantine WHERE id = ?", [.integer(id)])
                try AuditLog.append(
                    AuditEvent(
                        actor: Filer.auditActor, action: .quarantinePurge, target: "quarantine:\(id)",
                        detail: Filer.json("reason", "expired")), in: tx, now: now)
            }
            return expired.count
        }
    }

    /// The sealed metadata: `{"date": unix seconds, "from": address, "size": bytes,
    /// "subject": text}` as parsed (absent fields left out).
    static func quarantineMetadata(_ message: ParsedMessage) -> [UInt8] {
        var out = JSONOutput()
        out.raw("{")
        if let date = message.date {
            out.raw("\"date\":")
            out.integer(Int(date))
            out.raw(",")
        }
        if let from = message.from.first?.address {
            out.raw("\"from\":")
            out.string(from)
            out.raw(",")
        }
        out.raw("\"size\":")
        out.integer(message.raw.count)
        if let subject = message.subject {
            out.raw(",\"subject\":")
            out.string(subject)
        }
        out.raw("}")
        return out.bytes
    }

    /// Canonical JSON of one string value, for audit details.
    static func json(_ key: StaticString, _ value: String) -> String {
        var out = JSONOutput()
        out.raw("{")
        out.string(key.description)
        out.raw(":")
        out.string(value)
        out.raw("}")
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
