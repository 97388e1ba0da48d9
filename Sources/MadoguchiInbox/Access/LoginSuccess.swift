// LoginSuccess: what a successful login gives the page: the new session's token (shown
// once, for the `__Host-` cookie) and the session with the previous login's details.
// SECURITY: the token is not kept anywhere else; do not log it.

/// A successful login.
public struct LoginSuccess: Sendable {
    /// The new session token (43 base64url characters).
    public let token: String
    /// The new session, with `previousLogin` and `failuresSincePrevious` for the header.
    public let session: SessionInfo
}
