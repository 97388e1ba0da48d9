// AuditEvent: what a caller asks the audit log to record; AuditLog adds the
// sequence number, time and both hash chains.
// SECURITY: ids only — never passwords, tokens, bodies, search terms or addresses.

/// One action to record in the audit log.
public struct AuditEvent: Sendable, Equatable {
    /// Operator login, or `system:<program>`.
    public var actor: String
    /// SHA-256 prefix of the session token, if any.
    public var sessionRef: String?
    /// Source address, if any.
    public var sourceIP: String?
    /// What was done.
    public var action: AuditAction
    /// What it was done to, e.g. `quarantine:12`.
    public var target: String?
    /// How it ended.
    public var result: AuditResult
    /// Canonical JSON details without customer data.
    public var detail: String?

    /// Creates an event.
    public init(
        actor: String, sessionRef: String? = nil, sourceIP: String? = nil, action: AuditAction,
        target: String? = nil, result: AuditResult = .ok, detail: String? = nil
    ) {
        self.actor = actor
        self.sessionRef = sessionRef
        self.sourceIP = sourceIP
        self.action = action
        self.target = target
        self.result = result
        self.detail = detail
    }
}
