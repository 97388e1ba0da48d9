// AuditActor: who does something, as every audit entry of a web request records it —
// the operator's login, the session reference and the source address.
// SECURITY: the session reference is a prefix of the token's hash, never the token.

/// The actor of an audited action.
public struct AuditActor: Sendable, Equatable {
    /// Operator login, `cli:<user>` or `system:<program>`.
    public var actor: String
    /// SHA-256 prefix of the session token, if any.
    public var sessionRef: String?
    /// Source address, if any.
    public var sourceIP: String?

    /// Creates an actor.
    public init(actor: String, sessionRef: String? = nil, sourceIP: String? = nil) {
        self.actor = actor
        self.sessionRef = sessionRef
        self.sourceIP = sourceIP
    }

    /// An event by this actor.
    public func event(
        _ action: AuditAction, target: String? = nil, result: AuditResult = .ok, detail: String? = nil
    ) -> AuditEvent {
        AuditEvent(
            actor: actor, sessionRef: sessionRef, sourceIP: sourceIP, action: action, target: target, result: result,
            detail: detail)
    }
}
