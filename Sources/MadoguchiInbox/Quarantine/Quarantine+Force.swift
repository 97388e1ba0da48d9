// Quarantine+Force: `quarantine release --force` — files a quarantined message
// without scanning it (Filer, same mailbox and intake id) and removes the row, audited,
// in ONE write transaction: the message is either filed and out of quarantine, or
// (after any failure or crash) still only in quarantine — never in both or neither.
// SECURITY: this puts mail clamd called infected in front of operators; only an admin
// on the host can do it, and the audit entry names them.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiStore

extension Quarantine {
    /// Files the message without scanning and removes the row with an audit entry
    /// (`quarantine-release-force`, detail `{"duplicate":0|1}`), in one transaction.
    /// - Returns: the inquiry it was filed into (nil if it was already filed).
    /// - Throws: `QuarantineError`, `StoreError`, `CryptoError`.
    @discardableResult
    public static func releaseWithoutScan(
        _ id: Int64, in instance: InstanceDatabase, configuration: Configuration, log: Log, actor: String,
        now: Date = Date()
    ) throws -> Int64? {
        let filer = Filer(
            database: instance.database, keys: instance.keys, log: log,
            limits: MailLimits(configuration), quarantineDays: configuration[.quarantineDays])
        return try instance.database.write { tx in
            let (spooled, raw) = try Self.envelope(id, in: tx)
            let inquiry: Int64?
            switch try filer.file(envelope: spooled, raw: raw, now: now, in: tx) {
            case .filed(let inquiryID, _), .malformed(let inquiryID, _, _): inquiry = inquiryID
            case .duplicate: inquiry = nil
            }
            try removeRow(
                id, action: .quarantineReleaseForce, actor: actor,
                detail: AuditDetail.counts(["duplicate": inquiry == nil ? 1 : 0]), in: tx)
            CrashPoint.reach("during-commit")
            return inquiry
        }
    }
}
