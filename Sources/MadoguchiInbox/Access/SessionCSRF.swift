// SessionCSRF: the synchronizer token every state-changing form carries (madoguchi-
// security(7) F): HMAC-SHA256 under the data key's CSRF sub-key over the session's token
// hash, so it is bound to one session, needs no storage and dies with the session.
// SECURITY: verification compares in constant time; the Origin check is the page's.

import MadoguchiCrypto

/// CSRF tokens bound to sessions.
public struct SessionCSRF: Sendable {
    private let key: SecretKey

    /// Uses the current data key's CSRF sub-key.
    /// - Throws: `CryptoError`.
    public init(keys: KeyRing) throws {
        key = try keys.key(for: .csrf)
    }

    /// Uses `key` (tests).
    public init(key: SecretKey) {
        self.key = key
    }

    /// The token for `session`'s forms: 43 base64url characters.
    /// - Throws: `CryptoError`.
    public func token(for session: SessionInfo) throws -> String {
        SessionToken.encode(try mac(Array("session|".utf8) + session.tokenHash))
    }

    /// Whether `token` is `session`'s CSRF token.
    public func verify(_ token: String, for session: SessionInfo) -> Bool {
        guard let expected = try? self.token(for: session) else { return false }
        return ConstantTime.equals(Array(token.utf8), Array(expected.utf8))
    }

    /// A token for a form shown before any session exists (the login form), bound to a
    /// random value the page keeps in a short-lived cookie.
    /// - Throws: `CryptoError`.
    public func token(forPreSession binding: String) throws -> String {
        SessionToken.encode(try mac(Array("pre-session|".utf8) + Array(binding.utf8)))
    }

    /// Whether `token` is the pre-session token for `binding`.
    public func verify(_ token: String, forPreSession binding: String) -> Bool {
        guard !binding.isEmpty, let expected = try? self.token(forPreSession: binding) else { return false }
        return ConstantTime.equals(Array(token.utf8), Array(expected.utf8))
    }

    private func mac(_ data: [UInt8]) throws -> [UInt8] {
        try HMAC.sha256(key: key, data: data)
    }
}
