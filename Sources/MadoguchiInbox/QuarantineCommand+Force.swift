// QuarantineCommand+Force: `quarantine release --force` — files a quarantined message
// without scanning it (Filer, same mailbox and intake id) and removes the row, audited.
// SECURITY: this puts mail clamd called infected in front of operators; only an admin
// on the host can do it, and the audit entry names them. Filer commits in its own
// transaction, so the row goes in a second one: a crash between leaves the message
// filed and the row in place, and running the command again (a duplicate for Filer)
// finishes the removal — never a message in neither place.

import Foundation
import MadoguchiCore
import MadoguchiMail

extension QuarantineCommand {
    /// Files the message without scanning, then removes the row with an audit entry
    /// (`quarantine-release-force`, detail `{"duplicate":0|1}`).
    /// - Returns: the inquiry it was filed into (nil if it was already filed).
    /// - Throws: `QuarantineError`, `StoreError`, `CryptoError`.
    @discardableResult
    public static func releaseWithoutScan(
        _ id: Int64, in instance: InstanceDatabase, context: ToolContext, actor: String, now: Date = Date()
    ) throws -> Int64? {
        let (spooled, raw) = try instance.database.read { try Self.envelope(id, in: $0) }
        let filer = Filer(
            database: instance.database, keys: instance.keys, log: context.log,
            limits: MailLimits(context.configuration), quarantineDays: context.configuration.integer("quarantine_days"))
        let inquiry: Int64?
        switch try filer.file(envelope: spooled, raw: raw, now: now) {
        case .filed(let inquiryID, _), .malformed(let inquiryID, _, _): inquiry = inquiryID
        case .duplicate: inquiry = nil
        }
        try instance.database.write { tx in
            try removeRow(
                id, action: "quarantine-release-force", actor: actor,
                detail: AdminOutput.auditDetail(["duplicate": inquiry == nil ? 1 : 0]), in: tx)
        }
        return inquiry
    }
}
