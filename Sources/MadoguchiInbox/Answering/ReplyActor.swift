// ReplyActor: who works on a reply — the operator's user id and permissions for the
// checks, and the audit actor (login, session reference, address) for the entries.

/// The operator (or program) acting on a reply.
public struct ReplyActor: Sendable, Equatable {
    /// `users.id`.
    public var userID: Int64
    /// What the operator's role grants.
    public var permissions: Set<Permission>
    /// The audit actor.
    public var audit: AccessActor

    /// Creates an actor.
    /// - Parameters:
    ///   - userID: `users.id`.
    ///   - permissions: what the operator may do.
    ///   - audit: how the audit log names the operator.
    public init(userID: Int64, permissions: Set<Permission>, audit: AccessActor) {
        self.userID = userID
        self.permissions = permissions
        self.audit = audit
    }

    /// The operator of a web session.
    /// - Parameters:
    ///   - session: the live session.
    ///   - sourceIP: the request's source address.
    public init(session: SessionInfo, sourceIP: String?) {
        self.init(
            userID: session.userID, permissions: session.role.permissions,
            audit: AccessActor(session: session, sourceIP: sourceIP))
    }

    /// Whether the actor's role grants `permission`.
    public func permits(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// Throws unless the actor's role grants `permission`.
    /// - Throws: `ReplyError.forbidden`.
    func require(_ permission: Permission) throws {
        guard permits(permission) else { throw ReplyError.forbidden(permission) }
    }
}
