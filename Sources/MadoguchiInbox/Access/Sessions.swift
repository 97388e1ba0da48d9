// Sessions: server-side web sessions (madoguchi-security(7) E1–E3): looked up by the
// SHA-256 of the cookie's token, ended by the server after `session_idle_timeout`
// without a request or `session_max_age` after the login, at logout, and when the
// user's password changes or the account is locked. Each end is audited, and releases
// the session's reply locks first (ReplyLock.releaseAll: an unlock event and entry each).
// SECURITY: the deadlines are checked on every lookup; the browser's countdown is only
// a convenience. A lookup takes no write lock unless a session ends or is touched.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiStore

/// The sessions of one database connection.
public struct Sessions {
    /// Session lifetimes, in seconds.
    public struct Configuration: Sendable, Equatable {
        /// A session without a request for this long ends (`session_idle_timeout`, 15 min).
        public var idleTimeout: Int64
        /// A session ends this long after its login (`session_max_age`, 8 h).
        public var maxAge: Int64
        /// `last_seen_at` is written at most this often (a tenth of the idle timeout, at
        /// most a minute), so a busy page does not write on every request; the idle
        /// deadline is therefore exact to this interval.
        public var touchInterval: Int64

        /// Lifetimes; the idle timeout is clamped to 1 min…12 h and the maximum age to
        /// 1 min…24 h.
        public init(idleTimeout: Int64 = 900, maxAge: Int64 = 28_800) {
            self.idleTimeout = min(43_200, max(60, idleTimeout))
            self.maxAge = min(86_400, max(60, maxAge))
            touchInterval = min(60, max(1, self.idleTimeout / 10))
        }

        /// The lifetimes `session_idle_timeout` and `session_max_age` set.
        public init(_ configuration: MadoguchiCore.Configuration) {
            self.init(
                idleTimeout: Int64(configuration[.sessionIdleTimeout].rounded()),
                maxAge: Int64(configuration[.sessionMaxAge].rounded()))
        }
    }

    /// The database (one connection, used from one thread).
    public let database: Database
    /// The lifetimes.
    public let configuration: Configuration

    /// Creates the sessions view of a database.
    public init(database: Database, configuration: Configuration = Configuration()) {
        self.database = database
        self.configuration = configuration
    }

    /// Finds the session of a cookie's token and enforces its deadlines: a session past
    /// its idle timeout or maximum age is ended here (with an `auto-logout` entry) and
    /// reported `.expired`; a live one has `last_seen_at` moved to `now` when it is at
    /// least `touchInterval` old.
    /// - Parameters:
    ///   - token: the cookie value; anything but 43 base64url characters finds nothing.
    ///   - peer: the request's source address; a session used from another address than
    ///     its login's is not found (E3). Nil skips that check.
    ///   - now: Unix time.
    ///   - touch: false for a request the page's script makes on its own (the presence
    ///     poll), which must not keep an idle operator's session alive.
    /// - Returns: the session, `.expired` or `.none`.
    /// - Throws: `StoreError` (busy is transient), `CryptoError`.
    public func lookup(token: String, peer: String? = nil, now: Int64, touch: Bool = true) throws -> SessionLookup {
        guard let hash = SessionToken.hash(token) else { return .none }
        guard let row = try database.read({ try Sessions.row(hash: hash, in: $0) }) else { return .none }
        guard var session = session(row), row.int64("disabled") != 1 else { return .none }
        if let peer, peer != session.peer { return .none }
        if let reason = expiry(of: session, now: now) {
            let ended = try database.write { tx in
                try end(session, reason: reason, by: "page", now: now, in: tx)
            }
            return ended ? .expired : .none
        }
        if touch, now - session.lastSeenAt >= configuration.touchInterval {
            try database.write { tx in
                try tx.run(
                    "UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
                    [.integer(now), .integer(session.id), .integer(now)])
            }
            session.lastSeenAt = now
            session.expiresAt = min(now + configuration.idleTimeout, session.createdAt + configuration.maxAge)
        }
        return .active(session)
    }

    /// Ends the session of `token` at the operator's request, with a `logout` entry.
    /// - Parameters:
    ///   - token: the cookie value.
    ///   - sourceIP: the request's address, for the audit entry.
    ///   - now: Unix time.
    /// - Returns: whether a session was ended.
    /// - Throws: `StoreError`, `CryptoError`.
    @discardableResult
    public func logout(token: String, sourceIP: String?, now: Int64) throws -> Bool {
        guard let hash = SessionToken.hash(token) else { return false }
        return try database.write { tx in
            guard let row = try Sessions.row(hash: hash, in: tx), let session = session(row) else { return false }
            let actor = AccessActor(session: session, sourceIP: sourceIP)
            try ReplyLock.releaseAll(session: session.id, reason: .logout, actor: actor, now: now, in: tx)
            guard try tx.run("DELETE FROM sessions WHERE id = ?", [.integer(session.id)]) == 1 else { return false }
            try AuditLog.append(
                actor.event(.logout, target: "user:\(session.userID)"), in: tx,
                now: Date(timeIntervalSince1970: Double(now)))
            return true
        }
    }

    /// Ends every session past its idle timeout or maximum age, each with an
    /// `auto-logout` entry naming `program`, in one transaction.
    /// - Parameters:
    ///   - now: Unix time.
    ///   - program: who ends them, for the entries' detail (`expire-sessions`).
    /// - Returns: how many sessions were ended.
    /// - Throws: `StoreError`, `CryptoError`.
    @discardableResult
    public func expire(now: Int64, by program: String) throws -> Int {
        try database.write { tx in
            let rows = try tx.rows(
                Sessions.select + " WHERE s.last_seen_at <= ? OR s.created_at <= ? ORDER BY s.id",
                [.integer(now - configuration.idleTimeout), .integer(now - configuration.maxAge)])
            var count = 0
            for row in rows {
                if try endIfExpired(row, now: now, by: program, in: tx) { count += 1 }
            }
            return count
        }
    }

    /// Ends every session of a user (password change, lock) inside the caller's
    /// transaction, releasing their reply locks first; the caller's audit entry records
    /// the count.
    /// - Parameters:
    ///   - userID: `users.id`.
    ///   - reason: why, for the released locks' events and entries.
    ///   - actor: who ends them (the entries of the released locks name them).
    ///   - now: Unix time.
    ///   - tx: the write transaction of the change.
    /// - Returns: how many sessions were ended.
    /// - Throws: `StoreError`.
    public static func endAll(
        userID: Int64, reason: ReplyLock.ReleaseReason, actor: AccessActor, now: Int64, in tx: DatabaseTransaction
    ) throws -> Int {
        for row in try tx.rows("SELECT id FROM sessions WHERE user_id = ? ORDER BY id", [.integer(userID)]) {
            guard let id = row.int64("id") else { continue }
            try ReplyLock.releaseAll(session: id, reason: reason, actor: actor, now: now, in: tx)
        }
        return try tx.run("DELETE FROM sessions WHERE user_id = ?", [.integer(userID)])
    }

    /// Ends session `id` if it has expired (idle or over age) but nothing has ended it
    /// yet — expire-sessions runs every five minutes, and a browser that was closed
    /// sends no more requests — releasing its reply locks with it. The web page calls
    /// this for the session holding an inquiry's lock before it shows the lock or
    /// refuses a reply because of it, so an expired session never keeps others from
    /// replying (ReplyLockTests).
    /// - Parameters:
    ///   - id: `sessions.id`.
    ///   - now: Unix time.
    ///   - program: who ends it, for the `auto-logout` entry (`page`).
    ///   - tx: a write transaction.
    /// - Returns: whether the session was ended.
    /// - Throws: `StoreError`.
    @discardableResult
    public func endIfExpired(session id: Int64, now: Int64, by program: String, in tx: DatabaseTransaction) throws
        -> Bool
    {
        guard let row = try tx.rows(Sessions.select + " WHERE s.id = ?", [.integer(id)]).first else { return false }
        return try endIfExpired(row, now: now, by: program, in: tx)
    }

    /// Ends the session of `row` (`Sessions.select`) if it has expired.
    private func endIfExpired(_ row: Row, now: Int64, by program: String, in tx: DatabaseTransaction) throws -> Bool {
        guard let session = session(row), let reason = expiry(of: session, now: now) else { return false }
        return try end(session, reason: reason, by: program, now: now, in: tx)
    }

    /// Why `session` has ended at `now`, or nil while it lives.
    func expiry(of session: SessionInfo, now: Int64) -> String? {
        if now >= session.createdAt + configuration.maxAge { return "max-age" }
        if now >= session.lastSeenAt + configuration.idleTimeout { return "idle" }
        return nil
    }

    /// Deletes an expired session and appends its `auto-logout` entry.
    /// - Returns: false when it was already gone (another process ended it first).
    private func end(_ session: SessionInfo, reason: String, by program: String, now: Int64, in tx: DatabaseTransaction)
        throws -> Bool
    {
        let actor = AccessActor(session: session, sourceIP: session.peer)
        try ReplyLock.releaseAll(session: session.id, reason: .expired, actor: actor, now: now, in: tx)
        guard try tx.run("DELETE FROM sessions WHERE id = ?", [.integer(session.id)]) == 1 else { return false }
        try AuditLog.append(
            actor.event(
                .autoLogout, target: "user:\(session.userID)",
                detail: AuditDetail.words(["by": program, "reason": reason])),
            in: tx, now: Date(timeIntervalSince1970: Double(now)))
        return true
    }

    /// Makes a session for a user who just logged in, inside the login's transaction.
    /// - Returns: the token (shown once, for the cookie) and the session.
    /// - Throws: `CryptoError`, `StoreError`.
    static func create(
        for user: UserAccount, peer: String, userAgent: String?, previous: PreviousLogin?, failures: Int,
        configuration: Configuration, now: Int64, in tx: DatabaseTransaction
    ) throws -> (token: String, session: SessionInfo) {
        let (token, hash) = try SessionToken.generate()
        var values = RowValues()
        values.set("token_hash", .blob(hash))
        values.set("user_id", .integer(user.id))
        values.set("created_at", .integer(now))
        values.set("last_seen_at", .integer(now))
        values.set("peer", .text(peer))
        values.set("user_agent_hash", userAgent.map { .blob(SHA256Hasher.hash(Array($0.utf8))) } ?? .null)
        values.set("previous_login_at", .optional(previous?.at))
        values.set("previous_login_peer", .optional(previous?.peer))
        values.set("failures_since_previous", .int(failures))
        let id = try tx.insert(into: "sessions", values)
        let session = SessionInfo(
            id: id, reference: SessionToken.reference(hash), userID: user.id, login: user.login,
            displayName: user.displayName, role: user.role, locale: user.locale, createdAt: now, lastSeenAt: now,
            peer: peer,
            expiresAt: min(now + configuration.idleTimeout, now + configuration.maxAge), previousLogin: previous,
            failuresSincePrevious: failures, tokenHash: hash)
        return (token, session)
    }

    private static let select = """
        SELECT s.id, s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.peer, s.previous_login_at,
               s.previous_login_peer, s.failures_since_previous, u.login, u.display_name, u.role, u.locale, u.disabled
        FROM sessions s JOIN users u ON u.id = s.user_id
        """

    private static func row(hash: [UInt8], in tx: DatabaseTransaction) throws -> Row? {
        try tx.rows(select + " WHERE s.token_hash = ?", [.blob(hash)]).first
    }

    private func session(_ row: Row) -> SessionInfo? {
        guard let id = row.int64("id"), let hash = row.blob("token_hash"), let userID = row.int64("user_id"),
            let createdAt = row.int64("created_at"), let lastSeenAt = row.int64("last_seen_at")
        else { return nil }
        let previous = row.int64("previous_login_at").map {
            PreviousLogin(at: $0, peer: row.string("previous_login_peer") ?? "")
        }
        return SessionInfo(
            id: id, reference: SessionToken.reference(hash), userID: userID, login: row.string("login") ?? "",
            displayName: row.string("display_name") ?? "", role: Role.resolve(row.string("role") ?? ""),
            locale: row.string("locale"),
            createdAt: createdAt, lastSeenAt: lastSeenAt, peer: row.string("peer") ?? "",
            expiresAt: min(lastSeenAt + configuration.idleTimeout, createdAt + configuration.maxAge),
            previousLogin: previous, failuresSincePrevious: Int(row.int64("failures_since_previous") ?? 0),
            tokenHash: hash)
    }
}
