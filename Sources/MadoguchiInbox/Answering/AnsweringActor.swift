// AnsweringActor: who works an inquiry or a reply — the user (for the timeline and the checks), the
// role (for the permissions), the web session (for the reply lock) and the audit actor
// (login, session reference, source address).

/// The operator behind an answering action.
public struct AnsweringActor: Sendable, Equatable {
    /// `users.id`.
    public var userID: Int64
    /// The display name (for the errors a colleague sees, e.g. "locked by …").
    public var displayName: String
    /// What the user may do.
    public var role: Role
    /// The web session (`sessions.id`) the action comes from; the reply lock needs one.
    public var sessionID: Int64?
    /// Who the audit entries name.
    public var audit: AccessActor

    /// Creates an actor.
    /// - Parameters:
    ///   - userID: `users.id`.
    ///   - displayName: the user's display name.
    ///   - role: the user's role.
    ///   - sessionID: the web session, or nil (no reply lock without one).
    ///   - audit: who the audit entries name.
    public init(userID: Int64, displayName: String, role: Role, sessionID: Int64? = nil, audit: AccessActor) {
        self.userID = userID
        self.displayName = displayName
        self.role = role
        self.sessionID = sessionID
        self.audit = audit
    }

    /// The operator of a web session, from `sourceIP`.
    public init(session: SessionInfo, sourceIP: String?) {
        self.init(
            userID: session.userID, displayName: session.displayName, role: session.role, sessionID: session.id,
            audit: AccessActor(session: session, sourceIP: sourceIP))
    }

    /// Whether the role grants `permission`.
    public func permits(_ permission: Permission) -> Bool { role.permits(permission) }

    /// Throws unless the role grants `permission`.
    /// - Throws: `AnsweringError.notPermitted`.
    func require(_ permission: Permission) throws {
        guard role.permits(permission) else { throw AnsweringError.notPermitted(permission) }
    }
}
