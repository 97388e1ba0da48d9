// Users: operator accounts — add, list, change a password, lock and unlock — each change
// in one transaction with its audit entry. A password change and a lock end all of the
// user's sessions (madoguchi-security(7) E3); an unlock clears the failure count.
// SECURITY: passwords are checked against PasswordPolicy and hashed before the write
// transaction starts (scrypt must not hold the write lock); only the record is stored.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiStore

/// Operator accounts of one database connection.
public struct Users {
    /// Longest display name, in characters.
    public static let maximumDisplayNameLength = 100

    /// The database (one connection, used from one thread).
    public let database: Database
    /// Hashes new passwords.
    public let hasher: PasswordHasher
    /// The rules for new passwords.
    public let policy: PasswordPolicy

    /// Creates the accounts view of a database.
    public init(database: Database, hasher: PasswordHasher, policy: PasswordPolicy = PasswordPolicy()) {
        self.database = database
        self.hasher = hasher
        self.policy = policy
    }

    /// Adds an account, with a `user-add` entry.
    /// - Parameters:
    ///   - login: 1 to 64 characters of a-z, 0-9, `.`, `_`, `-`, starting with a-z or 0-9.
    ///   - displayName: 1 to 100 characters without control characters.
    ///   - role: a role name (`administrator` or `operator`).
    ///   - password: the initial password (checked against the policy).
    ///   - actor: who adds it.
    ///   - now: Unix time.
    /// - Returns: the new account.
    /// - Throws: `AccessError` (invalid login, display name or role, a duplicate login,
    ///   a password the policy refuses), `StoreError`, `CryptoError`.
    @discardableResult
    public func add(
        login: String, displayName: String, role: String, password: String, by actor: AccessActor, now: Int64
    ) throws -> UserAccount {
        guard Users.isValidLogin(login) else { throw AccessError.invalidLogin }
        guard Users.isValidDisplayName(displayName) else { throw AccessError.invalidDisplayName }
        guard Role.named(role) != nil else { throw AccessError.unknownRole(role) }
        try policy.check(password, login: login)
        // A cheap duplicate check before the hashing work; the write re-checks.
        guard try database.read({ try Users.find(login: login, in: $0) }) == nil else {
            throw AccessError.duplicateLogin(login)
        }
        let record = try hasher.hash(password)
        return try database.write { tx in
            guard try Users.find(login: login, in: tx) == nil else { throw AccessError.duplicateLogin(login) }
            var values = RowValues()
            values.set("login", .text(login))
            values.set("display_name", .text(displayName))
            values.set("password_hash", .text(record))
            values.set("role", .text(role))
            values.set("created_at", .integer(now))
            values.set("password_changed_at", .integer(now))
            let id = try tx.insert(into: "users", values)
            try AuditLog.append(
                actor.event(.userAdd, target: "user:\(id)", detail: AuditDetail.words(["role": role])), in: tx,
                now: Users.date(now))
            guard let user = try Users.find(id: id, in: tx) else { throw AccessError.unknownUser(login) }
            return user
        }
    }

    /// Sets a new password and ends all the user's sessions, with a `user-passwd` entry.
    /// - Returns: how many sessions were ended.
    /// - Throws: `AccessError.unknownUser`, a password the policy refuses, `StoreError`,
    ///   `CryptoError`.
    @discardableResult
    public func changePassword(login: String, password: String, by actor: AccessActor, now: Int64) throws -> Int {
        guard try database.read({ try Users.find(login: login, in: $0) }) != nil else {
            throw AccessError.unknownUser(login)
        }
        try policy.check(password, login: login)
        let record = try hasher.hash(password)
        return try endingSessions(login: login, action: .userPasswd, by: actor, now: now) { user, tx in
            try tx.run(
                "UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = 0 WHERE id = ?",
                [.text(record), .integer(now), .integer(user.id)])
        }
    }

    /// Locks an account until it is unlocked and ends all its sessions, with a
    /// `user-lock` entry.
    /// - Returns: how many sessions were ended.
    /// - Throws: `AccessError.unknownUser`, `StoreError`.
    @discardableResult
    public func lock(login: String, by actor: AccessActor, now: Int64) throws -> Int {
        try endingSessions(login: login, action: .userLock, by: actor, now: now) { user, tx in
            try tx.run("UPDATE users SET disabled = 1 WHERE id = ?", [.integer(user.id)])
        }
    }

    /// Runs `change` on the user's row, ends all the user's sessions and appends `action`
    /// with the count, in one write transaction.
    /// - Returns: how many sessions were ended.
    private func endingSessions(
        login: String, action: AuditAction, by actor: AccessActor, now: Int64,
        _ change: (UserAccount, DatabaseTransaction) throws -> Void
    ) throws -> Int {
        try database.write { tx in
            guard let user = try Users.find(login: login, in: tx) else { throw AccessError.unknownUser(login) }
            try change(user, tx)
            let reason: ReplyLock.ReleaseReason = action == .userLock ? .accountLocked : .passwordChanged
            let ended = try Sessions.endAll(userID: user.id, reason: reason, actor: actor, now: now, in: tx)
            try AuditLog.append(
                actor.event(action, target: "user:\(user.id)", detail: AuditDetail.counts(["sessions_ended": ended])),
                in: tx, now: Users.date(now))
            return ended
        }
    }

    /// Unlocks an account (an administrator's lock and a lockout after failures) and
    /// clears its failure count, with a `user-unlock` entry.
    /// - Throws: `AccessError.unknownUser`, `StoreError`.
    public func unlock(login: String, by actor: AccessActor, now: Int64) throws {
        try database.write { tx in
            guard let user = try Users.find(login: login, in: tx) else { throw AccessError.unknownUser(login) }
            try tx.run(
                "UPDATE users SET disabled = 0, failed_logins = 0, locked_until = NULL WHERE id = ?",
                [.integer(user.id)])
            try AuditLog.append(actor.event(.userUnlock, target: "user:\(user.id)"), in: tx, now: Users.date(now))
        }
    }

    /// Every account, by login name.
    /// - Throws: `StoreError`.
    public static func list(in tx: DatabaseTransaction) throws -> [UserAccount] {
        try tx.rows("SELECT \(UserAccount.columns) FROM users ORDER BY login").compactMap(UserAccount.init(row:))
    }

    /// The enabled accounts' ids and display names, by login (the operators an inquiry
    /// can be assigned to).
    /// - Throws: `StoreError`.
    public static func choices(in tx: DatabaseTransaction) throws -> [(id: Int64, name: String)] {
        let statement = try tx.statement("SELECT id, display_name FROM users WHERE disabled = 0 ORDER BY login")
        var choices: [(id: Int64, name: String)] = []
        try statement.forEachRow { row in choices.append((row.int64(at: 0), row.string(at: 1) ?? "")) }
        return choices
    }

    /// The account with login name `login`, if any.
    /// - Throws: `StoreError`.
    public static func find(login: String, in tx: DatabaseTransaction) throws -> UserAccount? {
        try tx.rows("SELECT \(UserAccount.columns) FROM users WHERE login = ?", [.text(login)]).first
            .flatMap(UserAccount.init(row:))
    }

    /// The account with row id `id`, if any.
    /// - Throws: `StoreError`.
    public static func find(id: Int64, in tx: DatabaseTransaction) throws -> UserAccount? {
        try tx.rows("SELECT \(UserAccount.columns) FROM users WHERE id = ?", [.integer(id)]).first
            .flatMap(UserAccount.init(row:))
    }

    /// The stored password record of a user (Login only).
    static func passwordRecord(userID: Int64, in tx: DatabaseTransaction) throws -> String? {
        try tx.rows("SELECT password_hash FROM users WHERE id = ?", [.integer(userID)]).first?.string("password_hash")
    }

    /// Whether `login` is 1 to 64 characters of a-z, 0-9, `.`, `_`, `-`, starting with a
    /// letter or digit.
    public static func isValidLogin(_ login: String) -> Bool {
        let bytes = Array(login.utf8)
        guard let first = bytes.first, bytes.count <= 64, isLowerAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    /// Whether `name` is 1 to 100 characters without control or format characters and
    /// without surrounding blanks.
    public static func isValidDisplayName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= maximumDisplayNameLength,
            name.trimmingCharacters(in: .whitespaces) == name
        else { return false }
        return !name.unicodeScalars.contains {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
                || $0.properties.generalCategory == .lineSeparator
                || $0.properties.generalCategory == .paragraphSeparator
        }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }

    private static func date(_ now: Int64) -> Date { Date(timeIntervalSince1970: Double(now)) }
}
