// ReplyLock: collision prevention (二重対応防止). Starting a reply takes the one lock of the
// inquiry (`inquiry_locks`' primary key), assigns the inquiry to the replier and moves a
// new inquiry to in_progress; a colleague gets `AnsweringError.locked` with who and since
// when. The lock is released on send, cancel, logout and session expiry (Sessions calls
// `releaseAll`), and taken over only with `take_over` — every step an event and an
// audit entry in the caller's transaction.
// The lock belongs to the user and follows their latest session: the same user from
// another tab or a new login re-acquires it (the lock moves to that session), so their
// old session's logout does not drop the reply they are writing.

import MadoguchiStore

/// The reply lock of inquiries.
public enum ReplyLock {
    /// Who holds a lock.
    public struct Holder: Sendable, Equatable {
        /// `inquiries.id`.
        public var inquiryID: Int64
        /// `users.id`.
        public var userID: Int64
        /// Their login name.
        public var login: String
        /// Their display name.
        public var displayName: String
        /// The session holding it (`sessions.id`), or nil.
        public var sessionID: Int64?
        /// The reply being written (`replies.id`), or nil.
        public var replyID: Int64?
        /// Unix time the lock was taken (or taken over).
        public var since: Int64

        /// Creates a value.
        public init(
            inquiryID: Int64, userID: Int64, login: String, displayName: String, sessionID: Int64?, replyID: Int64?,
            since: Int64
        ) {
            self.inquiryID = inquiryID
            self.userID = userID
            self.login = login
            self.displayName = displayName
            self.sessionID = sessionID
            self.replyID = replyID
            self.since = since
        }
    }

    /// Why a lock was released (the `unlock` event's and the entry's `reason`).
    public enum ReleaseReason: String, Sendable, CaseIterable {
        /// The reply was sent (or queued for sending).
        case sent = "sent"
        /// The operator cancelled the reply.
        case cancelled = "cancelled"
        /// The operator logged out.
        case logout = "logout"
        /// The session passed its idle timeout or maximum age.
        case expired = "expired"
        /// The user's password was changed (all sessions ended).
        case passwordChanged = "password-changed"
        /// The account was locked (all sessions ended).
        case accountLocked = "account-locked"
    }

    /// Takes the reply lock of an inquiry for the actor's session, with a `lock` event
    /// and a `reply-lock` entry; assigns the inquiry to the actor and moves `new` to
    /// `in_progress` (each with its event and entry). Taking it again from any session of
    /// the same user writes nothing but moves it to that session (and to `reply`, if given).
    /// Needs `reply`.
    /// - Parameters:
    ///   - inquiry: `inquiries.id`.
    ///   - reply: the reply being written, if one exists already.
    ///   - actor: who starts the reply; must have a session.
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Returns: the lock.
    /// - Throws: `AnsweringError.locked` (another user holds it), `.notPermitted`,
    ///   `.sessionRequired`, `InquiryError.notFound`, `StoreError`.
    @discardableResult
    public static func acquire(
        inquiry: Int64, reply: Int64? = nil, by actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction
    ) throws -> Holder {
        try actor.require(.reply)
        guard let session = actor.sessionID else { throw AnsweringError.sessionRequired }
        let current = try InquiryWork.state(of: inquiry, in: tx)
        if let held = try holder(of: inquiry, in: tx) {
            guard held.userID == actor.userID else { throw AnsweringError.locked(held) }
            try tx.run(
                "UPDATE inquiry_locks SET session_id = ?, reply_id = coalesce(?, reply_id) WHERE inquiry_id = ?",
                [.integer(session), .optional(reply), .integer(inquiry)])
            return try holder(of: inquiry, in: tx) ?? held
        }
        try tx.run(
            "INSERT INTO inquiry_locks (inquiry_id, user_id, session_id, reply_id, acquired_at) VALUES (?, ?, ?, ?, ?)",
            [.integer(inquiry), .integer(actor.userID), .integer(session), .optional(reply), .integer(now)])
        try InquiryEvents.append(.lock, inquiry: inquiry, user: actor.userID, reply: reply, now: now, in: tx)
        try AuditLog.append(
            actor.audit.event(.replyLock, target: "inquiry:\(inquiry)"), in: tx, now: InquiryWork.date(now))
        try startWork(inquiry, current, by: actor, now: now, in: tx)
        guard let holder = try holder(of: inquiry, in: tx) else { throw InquiryError.notFound("inquiry \(inquiry)") }
        return holder
    }

    /// Releases the actor's lock (the reply was sent or cancelled), with an `unlock`
    /// event and a `reply-unlock` entry. A lock someone else holds (taken over) stays.
    /// - Parameters:
    ///   - inquiry: `inquiries.id`.
    ///   - reason: why.
    ///   - actor: the holder.
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Returns: whether the actor held it (false: nothing written).
    /// - Throws: `StoreError`.
    @discardableResult
    public static func release(
        inquiry: Int64, reason: ReleaseReason, by actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction
    ) throws -> Bool {
        try release(inquiry: inquiry, reason: reason, heldBy: actor.userID, actor: actor.audit, now: now, in: tx)
    }

    /// Releases an inquiry's lock for a program or the server (send-replies after the
    /// relay took the reply), with an `unlock` event naming the holder and a
    /// `reply-unlock` entry by `actor`.
    /// - Parameters:
    ///   - inquiry: `inquiries.id`.
    ///   - reason: why.
    ///   - user: release only if this user holds it; nil for whoever does.
    ///   - actor: who the audit entry names (e.g. `system:send-replies`).
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Returns: whether a lock was released.
    /// - Throws: `StoreError`.
    @discardableResult
    public static func release(
        inquiry: Int64, reason: ReleaseReason, heldBy user: Int64?, actor: AccessActor, now: Int64,
        in tx: DatabaseTransaction
    ) throws -> Bool {
        guard let holder = try holder(of: inquiry, in: tx), user == nil || holder.userID == user else { return false }
        try drop(holder, reason: reason, actor: actor, now: now, in: tx)
        return true
    }

    /// Takes another operator's lock, with a `take-over` event and a `reply-take-over`
    /// entry (detail the previous holder); the inquiry is assigned to the actor as by
    /// `acquire`. The previous holder's page shows the new holder, and their later
    /// `release` finds nothing to release. With no lock, or the actor's own, it is
    /// `acquire`. Needs `take_over` (and `reply`).
    /// - Parameters:
    ///   - inquiry: `inquiries.id`.
    ///   - reply: the reply the actor writes, if one exists already.
    ///   - actor: who takes it over; must have a session.
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Returns: the new lock and the previous holder (nil when there was none or it was the actor).
    /// - Throws: `AnsweringError.notPermitted`, `.sessionRequired`, `InquiryError.notFound`, `StoreError`.
    @discardableResult
    public static func takeOver(
        inquiry: Int64, reply: Int64? = nil, by actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction
    ) throws -> (lock: Holder, previous: Holder?) {
        try actor.require(.takeOver)
        try actor.require(.reply)
        guard let session = actor.sessionID else { throw AnsweringError.sessionRequired }
        let current = try InquiryWork.state(of: inquiry, in: tx)
        guard let previous = try holder(of: inquiry, in: tx), previous.userID != actor.userID else {
            return (try acquire(inquiry: inquiry, reply: reply, by: actor, now: now, in: tx), nil)
        }
        try tx.run(
            "UPDATE inquiry_locks SET user_id = ?, session_id = ?, reply_id = ?, acquired_at = ? WHERE inquiry_id = ?",
            [.integer(actor.userID), .integer(session), .optional(reply), .integer(now), .integer(inquiry)])
        let detail = ["from": String(previous.userID)]
        try InquiryEvents.append(
            .takeOver, inquiry: inquiry, user: actor.userID, detail: detail, reply: reply, now: now, in: tx)
        try AuditLog.append(
            actor.audit.event(.replyTakeOver, target: "inquiry:\(inquiry)", detail: AuditDetail.words(detail)), in: tx,
            now: InquiryWork.date(now))
        try startWork(inquiry, current, by: actor, now: now, in: tx)
        guard let lock = try holder(of: inquiry, in: tx) else { throw InquiryError.notFound("inquiry \(inquiry)") }
        return (lock, previous)
    }

    /// Who holds the lock of an inquiry, or nil.
    /// - Throws: `StoreError`.
    public static func holder(of inquiry: Int64, in tx: DatabaseTransaction) throws -> Holder? {
        try holders(where: "l.inquiry_id = ?", .integer(inquiry), in: tx).first
    }

    /// Releases every lock a session holds, each with an `unlock` event and a
    /// `reply-unlock` entry by `actor`, before the session row is deleted (the foreign
    /// key's cascade is only the safety net and records nothing).
    /// - Parameters:
    ///   - session: `sessions.id`.
    ///   - reason: why the session ends.
    ///   - actor: who the entries name (the session's operator).
    ///   - now: Unix time.
    ///   - tx: the write transaction that ends the session.
    /// - Returns: how many locks were released.
    /// - Throws: `StoreError`.
    @discardableResult
    public static func releaseAll(
        session: Int64, reason: ReleaseReason, actor: AccessActor, now: Int64, in tx: DatabaseTransaction
    ) throws -> Int {
        let held = try holders(where: "l.session_id = ?", .integer(session), in: tx)
        for holder in held { try drop(holder, reason: reason, actor: actor, now: now, in: tx) }
        return held.count
    }

    /// Deletes a lock with its `unlock` event (by the holder) and `reply-unlock` entry.
    private static func drop(
        _ holder: Holder, reason: ReleaseReason, actor: AccessActor, now: Int64, in tx: DatabaseTransaction
    ) throws {
        try tx.run("DELETE FROM inquiry_locks WHERE inquiry_id = ?", [.integer(holder.inquiryID)])
        let detail = ["reason": reason.rawValue, "holder": String(holder.userID)]
        try InquiryEvents.append(
            .unlock, inquiry: holder.inquiryID, user: holder.userID, detail: ["reason": reason.rawValue],
            reply: holder.replyID, now: now, in: tx)
        try AuditLog.append(
            actor.event(.replyUnlock, target: "inquiry:\(holder.inquiryID)", detail: AuditDetail.words(detail)),
            in: tx, now: InquiryWork.date(now))
    }

    /// Assigns the inquiry to the replier and moves `new` to `in_progress`.
    private static func startWork(
        _ inquiry: Int64, _ current: (status: String, assignee: Int64?), by actor: AnsweringActor, now: Int64,
        in tx: DatabaseTransaction
    ) throws {
        _ = try InquiryWork.setAssignee(inquiry, from: current.assignee, to: actor.userID, by: actor, now: now, in: tx)
        if current.status == "new" {
            _ = try InquiryWork.applyStatus(inquiry, from: "new", to: "in_progress", by: actor, now: now, in: tx)
        }
    }

    private static func holders(where condition: String, _ argument: SQLValue, in tx: DatabaseTransaction) throws
        -> [Holder]
    {
        try tx.rows(
            """
            SELECT l.inquiry_id, l.user_id, l.session_id, l.reply_id, l.acquired_at, u.login, u.display_name
            FROM inquiry_locks l JOIN users u ON u.id = l.user_id WHERE \(condition) ORDER BY l.inquiry_id
            """, [argument]
        ).compactMap { row in
            guard let inquiry = row.int64("inquiry_id"), let user = row.int64("user_id") else { return nil }
            return Holder(
                inquiryID: inquiry, userID: user, login: row.string("login") ?? "",
                displayName: row.string("display_name") ?? "", sessionID: row.int64("session_id"),
                replyID: row.int64("reply_id"), since: row.int64("acquired_at") ?? 0)
        }
    }
}
