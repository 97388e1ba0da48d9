// AccessActor: who asks for an access action, as the audit log names them — an
// operator's login with the session reference and source address (web), or
// `cli:<login>` (admin commands) — and the entries it writes.

/// The actor of an access action.
public struct AccessActor: Sendable, Equatable {
    /// The audit actor: an operator login, `cli:<login>` or `system:<program>`.
    public var actor: String
    /// The session's reference (`SessionInfo.reference`), if any.
    public var sessionRef: String?
    /// The source address, if any.
    public var sourceIP: String?

    /// Creates an actor.
    public init(actor: String, sessionRef: String? = nil, sourceIP: String? = nil) {
        self.actor = actor
        self.sessionRef = sessionRef
        self.sourceIP = sourceIP
    }

    /// An operator acting through a web session.
    public init(session: SessionInfo, sourceIP: String?) {
        self.init(actor: session.login, sessionRef: session.reference, sourceIP: sourceIP)
    }

    /// The audit event of `action` by this actor, for `AuditLog.append` in the
    /// transaction of the change (or, for a read, before the data is returned).
    /// - Parameters:
    ///   - action: what was done.
    ///   - target: what it was done to, e.g. `inquiry:12`.
    ///   - result: how it ended.
    ///   - detail: canonical JSON (`AuditDetail`), never customer data.
    public func event(
        _ action: AuditAction, target: String? = nil, result: AuditResult = .ok, detail: String? = nil
    ) -> AuditEvent {
        AuditEvent(
            actor: actor, sessionRef: sessionRef, sourceIP: sourceIP, action: action, target: target, result: result,
            detail: detail)
    }
}
