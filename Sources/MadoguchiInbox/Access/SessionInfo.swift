// SessionInfo: a live web session as the page sees it — who is logged in, with which
// role, until when, and the previous login the page header shows.
// SECURITY: holds the token's hash (for CSRF binding), never the token.

/// A logged-in session.
public struct SessionInfo: Sendable, Equatable {
    /// The `sessions` row id.
    public var id: Int64
    /// The audit log's reference to this session (16 hex digits).
    public var reference: String
    /// The user's row id.
    public var userID: Int64
    /// The user's login name.
    public var login: String
    /// The user's display name.
    public var displayName: String
    /// The user's role.
    public var role: Role
    /// The page language the user chose (`ja` or `en`), or nil for the browser's
    /// `Accept-Language`.
    public var locale: String?
    /// Unix time of the login.
    public var createdAt: Int64
    /// Unix time of the last request seen (updated at most every `touchInterval`).
    public var lastSeenAt: Int64
    /// The address the login came from.
    public var peer: String
    /// Unix time at which the session ends if no request comes first (idle timeout or
    /// maximum age, whichever is sooner) — what the page's countdown counts to.
    public var expiresAt: Int64
    /// The login before this one, if there was one.
    public var previousLogin: PreviousLogin?
    /// Refused logins on this account between the previous login and this one.
    public var failuresSincePrevious: Int
    /// SHA-256 of the token.
    let tokenHash: [UInt8]

    /// Whether the session's role grants `permission`.
    public func permits(_ permission: Permission) -> Bool { role.permits(permission) }
}

/// The previous successful login of an account.
public struct PreviousLogin: Sendable, Equatable {
    /// Unix time.
    public var at: Int64
    /// Source address.
    public var peer: String

    /// Creates the record.
    public init(at: Int64, peer: String) {
        self.at = at
        self.peer = peer
    }
}

/// What a session lookup found.
public enum SessionLookup: Sendable, Equatable {
    /// A live session (its last-seen time updated when due).
    case active(SessionInfo)
    /// The session had passed its idle timeout or maximum age: it is now ended and an
    /// `auto-logout` entry written (the page says "logged out after inactivity").
    case expired
    /// No such session (never existed, logged out, or ended by a password change or lock).
    case none
}
