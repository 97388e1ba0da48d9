// AuditLog: appends entries to the `audit` table with the global and per-actor hash
// chains of madoguchi-security(7) AUDIT LOG, and verifies them.
// SECURITY: append in the same transaction as the change it records; for read-type
// actions append before returning data, and refuse the action if the append fails.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiStore

/// The append-only, hash-chained audit log.
public enum AuditLog {
    /// Appends `event` and returns its sequence number. Control characters in every
    /// text field are escaped first, so an entry is always one clean line.
    /// - Throws: `StoreError`.
    @discardableResult
    public static func append(_ event: AuditEvent, in tx: DatabaseTransaction, now: Date = Date()) throws -> Int64 {
        let last = try tx.rows("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").first
        let seq = (last?.int64("seq") ?? 0) + 1
        let previous = last?.string("hash").flatMap(Hex.decode) ?? AuditRecord.genesis
        let record = AuditRecord(seq: seq, timestamp: timestamp(now), event: event)
        let actorPrevious =
            try tx.rows("SELECT actor_hash FROM audit WHERE actor = ? ORDER BY seq DESC LIMIT 1", [.text(record.actor)])
            .first?.string("actor_hash").flatMap(Hex.decode) ?? AuditRecord.actorGenesis(record.actor)
        let hash = record.chainHash(previous: previous)
        let actorHash = record.actorHash(previous: actorPrevious)
        _ = try tx.run(
            """
            INSERT INTO audit (seq, ts, actor, session_ref, src_ip, action, target, result, detail,
                               prev_hash, hash, actor_prev, actor_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .integer(seq), .text(record.timestamp), .text(record.actor), .optional(record.sessionRef),
                .optional(record.sourceIP), .text(record.action), .optional(record.target), .text(record.result),
                .optional(record.detail), .text(Hex.encode(previous)), .text(Hex.encode(hash)),
                .text(Hex.encode(actorPrevious)), .text(Hex.encode(actorHash)),
            ])
        return seq
    }

    /// Walks the whole log and returns the first sequence number whose row does not
    /// verify — in the global chain or in its actor's chain (edited, missing, reordered,
    /// a hash recomputed for one chain only) — or nil when both are intact.
    /// - Throws: `StoreError`.
    public static func firstBrokenEntry(in tx: DatabaseTransaction) throws -> Int64? {
        var previous = AuditRecord.genesis
        var actorPrevious: [String: [UInt8]] = [:]
        var expected: Int64 = 1
        for row in try tx.rows("SELECT * FROM audit ORDER BY seq") {
            let seq = row.int64("seq") ?? -1
            guard seq == expected, let actor = row.string("actor"), let action = row.string("action"),
                let result = row.string("result"), let timestamp = row.string("ts")
            else { return expected }
            let record = AuditRecord(
                seq: seq, timestamp: timestamp, actor: actor, sessionRef: row.string("session_ref"),
                sourceIP: row.string("src_ip"), action: action, target: row.string("target"), result: result,
                detail: row.string("detail"))
            let hash = record.chainHash(previous: previous)
            guard row.string("prev_hash") == Hex.encode(previous), row.string("hash") == Hex.encode(hash) else {
                return seq
            }
            let actorPrev = actorPrevious[actor] ?? AuditRecord.actorGenesis(actor)
            let actorHash = record.actorHash(previous: actorPrev)
            guard row.string("actor_prev") == Hex.encode(actorPrev), row.string("actor_hash") == Hex.encode(actorHash)
            else { return seq }
            actorPrevious[actor] = actorHash
            previous = hash
            expected += 1
        }
        return nil
    }

    /// `date` as RFC 3339 UTC with milliseconds, `2026-12-03T12:36:16.123Z` (what
    /// `ISO8601DateFormatter` with fractional seconds writes), by arithmetic: a
    /// formatter made per entry cost the inquiry page a seventh of its CPU time
    /// (AuditLogTests.timestampsAsTheFormatterWritesThem).
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = Int(milliseconds - seconds * 1000)
        var text = MailDate.iso8601(seconds)
        text.removeLast()  // the Z
        text += fraction < 10 ? ".00" : fraction < 100 ? ".0" : "."
        text += String(fraction)
        return text + "Z"
    }
}
