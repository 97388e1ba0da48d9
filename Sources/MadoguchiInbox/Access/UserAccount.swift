// UserAccount: one row of `users` as the access functions read it — never the password
// record, which stays inside Users and Login.

import MadoguchiStore

/// An operator account.
public struct UserAccount: Sendable, Equatable {
    /// The `users` row id.
    public var id: Int64
    /// The login name.
    public var login: String
    /// The name shown on the page.
    public var displayName: String
    /// The stored role name (see `Role.resolve`).
    public var roleName: String
    /// The page language the user chose (`ja` or `en`), or nil for the browser's.
    public var locale: String?
    /// Unix time the account was made.
    public var createdAt: Int64
    /// Unix time of the last password change.
    public var passwordChangedAt: Int64
    /// Locked by an administrator (`madoguchi user lock`) until unlocked.
    public var disabled: Bool
    /// Consecutive wrong passwords since the last success or lockout.
    public var failedLogins: Int
    /// Unix time until which a lockout after repeated failures lasts, if any.
    public var lockedUntil: Int64?

    /// The account's role (an unknown name permits nothing).
    public var role: Role { Role.resolve(roleName) }

    /// Whether a login at `now` is refused: locked by an administrator, or within a lockout.
    public func isLocked(at now: Int64) -> Bool {
        disabled || (lockedUntil.map { $0 > now } ?? false)
    }

    /// The columns `init(row:)` reads.
    static let columns =
        "id, login, display_name, role, locale, created_at, password_changed_at, disabled, failed_logins, locked_until"

    /// Reads a row selected with `columns`.
    init?(row: Row) {
        guard let id = row.int64("id"), let login = row.string("login") else { return nil }
        self.id = id
        self.login = login
        displayName = row.string("display_name") ?? ""
        roleName = row.string("role") ?? ""
        locale = row.string("locale")
        createdAt = row.int64("created_at") ?? 0
        passwordChangedAt = row.int64("password_changed_at") ?? 0
        disabled = row.int64("disabled") == 1
        failedLogins = Int(row.int64("failed_logins") ?? 0)
        lockedUntil = row.int64("locked_until")
    }
}
