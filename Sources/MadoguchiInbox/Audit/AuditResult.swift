// AuditResult: how an audited action ended, as stored in the `result` column and
// hashed into both chains; the raw values must never change (AuditLogTests "stableBytes").

/// The outcome an audit entry records; the raw value is the stored `result` text.
public enum AuditResult: String, Sendable, Equatable, CaseIterable {
    /// The action was done. An entry is appended in the transaction of the change it
    /// records, so a failed action leaves none (a refused login is recorded as `failed`).
    case ok = "ok"
    /// The actor was refused permission. Reserved for the planned web page's refusals,
    /// which are to be logged (madoguchi-security(7) F2, F5); nothing writes it yet.
    case denied = "denied"
    /// The action was attempted and failed: a refused login (`login-failed`), and entries
    /// written outside the failed action's transaction.
    case failed = "failed"
}
