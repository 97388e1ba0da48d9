// QuarantineCommand+Force: `quarantine release --force` — files a quarantined message
// without scanning it (through Filer) and removes the row, audited.
// SECURITY: this puts mail clamd called infected in front of operators; only an admin
// on the host can do it, and the audit entry names them.

import MadoguchiCore

extension QuarantineCommand {
    /// Files the message without scanning and removes the row (`quarantine-release-force`).
    /// - Returns: the inquiry it was filed into.
    /// - Throws: `QuarantineError`, `StoreError`, `CryptoError`.
    public static func releaseWithoutScan(
        _ id: Int64, in instance: InstanceDatabase, context: ToolContext, actor: String
    ) throws -> Int64 {
        throw UsageError("release --force is not available yet")
    }
}
