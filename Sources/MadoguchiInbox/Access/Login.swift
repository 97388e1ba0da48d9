// Login: one login attempt (madoguchi-security(7) E4, E6). Every refusal — unknown name,
// wrong password, locked or disabled account — gives the same error after the same
// hashing work (a dummy hash for unknown names); wrong passwords are counted per account
// and `login_max_failures` in a row lock it for `login_lockout`. A success resets the
// count, rehashes an old record, and makes a new session.
// SECURITY: the hash runs outside any transaction (behind the process's PasswordHashGate),
// so logins never hold the write lock while scrypt works and never stall other pages'
// session lookups. Every outcome is audited in the transaction that records it.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiStore

/// Login attempts against one database connection.
public struct Login {
    /// The lockout policy.
    public struct Configuration: Sendable, Equatable {
        /// Consecutive wrong passwords that lock an account (`login_max_failures`, 10).
        public var maxFailures: Int
        /// How long the lock lasts, in seconds (`login_lockout`, 30 min).
        public var lockout: Int64

        /// A policy; `maxFailures` is clamped to 1…100 (NIST SP 800-63B allows at most
        /// 100), `lockout` to 1 min…7 days.
        public init(maxFailures: Int = 10, lockout: Int64 = 1_800) {
            self.maxFailures = min(100, max(1, maxFailures))
            self.lockout = min(604_800, max(60, lockout))
        }

        /// The policy `login_max_failures` and `login_lockout` set.
        public init(_ configuration: MadoguchiCore.Configuration) {
            self.init(
                maxFailures: Int(clamping: configuration[.loginMaxFailures]),
                lockout: Int64(configuration[.loginLockout].rounded()))
        }
    }

    /// The audit actor of refused logins for names without an account (it cannot be a
    /// login name: those have no `:`).
    public static let unknownUserActor = "web:unknown-user"
    /// Longest login field looked up; a longer one is refused without hashing.
    public static let maximumLoginBytes = 1_024

    /// The database (one connection, used from one thread).
    public let database: Database
    /// The password hasher; share its gate across the process.
    public let hasher: PasswordHasher
    /// The lockout policy.
    public let configuration: Configuration
    /// Lifetimes of the sessions a login makes.
    public let sessions: Sessions.Configuration

    /// Creates the login function of a database connection.
    public init(
        database: Database, hasher: PasswordHasher, configuration: Configuration = Configuration(),
        sessions: Sessions.Configuration = Sessions.Configuration()
    ) {
        self.database = database
        self.hasher = hasher
        self.configuration = configuration
        self.sessions = sessions
    }

    /// Tries a login and, on success, makes a new session.
    /// - Parameters:
    ///   - login: the name typed (ASCII letters are compared lower-cased).
    ///   - password: the password typed; more than 128 characters (or 4096 bytes) is
    ///     refused before any hashing work.
    ///   - peer: the socket's source address (kept with the session and the audit entry).
    ///   - userAgent: the browser's User-Agent (only its SHA-256 is kept).
    ///   - now: Unix time.
    /// - Returns: the token and the session.
    /// - Throws: `AccessError.loginRefused` for every refusal (after it is recorded);
    ///   `StoreError` (busy is transient), `CryptoError`, `PasswordError.unknownPepperVersion`.
    public func attempt(login: String, password: String, peer: String, userAgent: String?, now: Int64) throws
        -> LoginSuccess
    {
        let peer = String(Log.escape(peer).prefix(64))
        let name = login.utf8.count <= Login.maximumLoginBytes ? Login.fold(login) : ""
        let tooLong = PasswordPolicy.isTooLong(password)
        let (user, record) = try database.read { tx -> (UserAccount?, String?) in
            guard !name.isEmpty, let user = try Users.find(login: name, in: tx) else { return (nil, nil) }
            return (user, try Users.passwordRecord(userID: user.id, in: tx))
        }

        // The same hashing work whatever the account's state; nothing for an over-long field.
        var matched = false
        if !tooLong && !name.isEmpty {
            if let record {
                do {
                    matched = try hasher.verify(password, against: record)
                } catch PasswordError.malformedRecord {
                    matched = false
                }
            } else {
                _ = try hasher.verifyUnknownUser(password)
            }
        }
        let rehashed = matched && record.map(hasher.needsRehash) == true ? try hasher.hash(password) : nil

        let outcome: Result<LoginSuccess, AccessError> = try database.write { tx in
            // Read again under the write lock: another login may have counted a failure.
            let current = try user.flatMap { try Users.find(id: $0.id, in: tx) }
            guard let user = current else {
                try AuditLog.append(
                    AuditEvent(
                        actor: Login.unknownUserActor, sourceIP: peer, action: .loginFailed, result: .failed,
                        detail: AuditDetail.words(["reason": tooLong ? "too-long" : "unknown-user"])),
                    in: tx, now: Login.date(now))
                return .failure(.loginRefused)
            }
            let actor = AccessActor(actor: user.login, sourceIP: peer)
            let reason: String? =
                user.disabled
                ? "disabled"
                : user.isLocked(at: now)
                    ? "locked"
                    : tooLong
                        ? "too-long"
                        : matched ? nil : "wrong-password"
            guard reason == nil else {
                try refuse(user, reason: reason ?? "", actor: actor, peer: peer, now: now, in: tx)
                return .failure(.loginRefused)
            }
            return .success(
                try succeed(user, rehashed: rehashed, actor: actor, peer: peer, userAgent: userAgent, now: now, in: tx))
        }
        return try outcome.get()
    }

    /// ASCII letters lower-cased (login names are lower-case; see `Users.isValidLogin`).
    static func fold(_ login: String) -> String {
        String(decoding: login.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    private static func date(_ now: Int64) -> Date { Date(timeIntervalSince1970: Double(now)) }

    /// Records a refusal: the login row, the failure count (wrong passwords only), a
    /// lockout when the count reaches the limit, and the audit entries.
    private func refuse(
        _ user: UserAccount, reason: String, actor: AccessActor, peer: String, now: Int64, in tx: DatabaseTransaction
    ) throws {
        try tx.run(
            "INSERT INTO logins (user_id, at, peer, success, reason) VALUES (?, ?, ?, 0, ?)",
            [.integer(user.id), .integer(now), .text(peer), .text(reason)])
        try AuditLog.append(
            actor.event(
                .loginFailed, target: "user:\(user.id)", result: .failed,
                detail: AuditDetail.words(["reason": reason])), in: tx, now: Login.date(now))
        guard reason == "wrong-password" else { return }
        // A lock that has run out starts the count again.
        let failures = (user.lockedUntil == nil ? user.failedLogins : 0) + 1
        if failures >= configuration.maxFailures {
            let until = now + configuration.lockout
            try tx.run(
                "UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?",
                [.integer(until), .integer(user.id)])
            try AuditLog.append(
                actor.event(
                    .lockout, target: "user:\(user.id)",
                    detail: AuditDetail.counts(["failures": failures, "locked_until": Int(until)])),
                in: tx, now: Login.date(now))
        } else {
            try tx.run(
                "UPDATE users SET failed_logins = ?, locked_until = NULL WHERE id = ?",
                [.int(failures), .integer(user.id)])
        }
    }

    /// Records a success: the previous login and the failures since, the reset count,
    /// the rehashed record, the login row, the new session and its audit entry.
    private func succeed(
        _ user: UserAccount, rehashed: String?, actor: AccessActor, peer: String, userAgent: String?, now: Int64,
        in tx: DatabaseTransaction
    ) throws -> LoginSuccess {
        let last = try tx.rows(
            "SELECT id, at, peer FROM logins WHERE user_id = ? AND success = 1 ORDER BY id DESC LIMIT 1",
            [.integer(user.id)]
        ).first
        let previous = last.flatMap { row in
            row.int64("at").map { PreviousLogin(at: $0, peer: row.string("peer") ?? "") }
        }
        let failures = Int(
            try tx.rows(
                "SELECT count(*) AS n FROM logins WHERE user_id = ? AND success = 0 AND id > ?",
                [.integer(user.id), .integer(last?.int64("id") ?? 0)]
            ).first?.int64("n") ?? 0)
        if let rehashed {
            try tx.run("UPDATE users SET password_hash = ? WHERE id = ?", [.text(rehashed), .integer(user.id)])
        }
        try tx.run("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", [.integer(user.id)])
        try tx.run(
            "INSERT INTO logins (user_id, at, peer, success, reason) VALUES (?, ?, ?, 1, 'ok')",
            [.integer(user.id), .integer(now), .text(peer)])
        let (token, session) = try Sessions.create(
            for: user, peer: peer, userAgent: userAgent, previous: previous, failures: failures,
            configuration: sessions, now: now, in: tx)
        try AuditLog.append(
            AccessActor(actor: user.login, sessionRef: session.reference, sourceIP: peer).event(
                .login, target: "user:\(user.id)",
                detail: rehashed == nil ? nil : AuditDetail.words(["rehashed": "yes"])),
            in: tx, now: Login.date(now))
        return LoginSuccess(token: token, session: session)
    }
}
