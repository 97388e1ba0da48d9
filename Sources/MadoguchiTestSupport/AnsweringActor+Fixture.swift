// AnsweringActor+Fixture (AnsweringFixture): a database with three operators (山田 and 佐藤,
// operators; 管理者, administrator), one filed inquiry, logged-in sessions as answering
// actors, and readers for the timeline, the audit actions and the lock — for the
// assignment, status, note, reply lock and template tests.

import MadoguchiInbox
import MadoguchiStore

/// Operators, an inquiry and their sessions for answering tests.
public final class AnsweringFixture {
    /// The login and session machinery over the database.
    public let access: LoginFixture
    /// The filed inquiry.
    public let filed: FiledSample
    /// An operator, `yamada` (山田 太郎).
    public let yamada: UserAccount
    /// An operator, `sato` (佐藤 花子).
    public let sato: UserAccount
    /// An administrator, `kanri` (管理者).
    public let admin: UserAccount

    /// The database.
    public var database: Database { access.database }
    /// The inquiry's id.
    public var inquiry: Int64 { filed.inquiryID }

    /// A fresh database with the three users and one inquiry.
    public init() throws {
        access = try LoginFixture()
        yamada = try access.addUser("yamada", name: "山田 太郎")
        sato = try access.addUser("sato", name: "佐藤 花子")
        admin = try access.addUser("kanri", name: "管理者", role: "administrator")
        filed = try access.database.fileSample(now: LoginFixture.start)
    }

    /// Logs `user` in from `peer` at `now` and returns the session's actor and token.
    public func session(_ user: UserAccount, peer: String = "192.0.2.10", at now: Int64 = LoginFixture.start) throws
        -> (actor: AnsweringActor, token: String)
    {
        let login = try access.logIn(user.login, peer: peer, at: now)
        return (AnsweringActor(session: login.session, sourceIP: peer), login.token)
    }

    /// `user` acting without a session, with their role or `role`.
    public func actor(_ user: UserAccount, role: Role? = nil, auditActor: String? = nil) -> AnsweringActor {
        AnsweringActor(
            userID: user.id, displayName: user.displayName, role: role ?? user.role,
            audit: AccessActor(actor: auditActor ?? user.login, sourceIP: "192.0.2.10"))
    }

    /// Runs `body` in a write transaction.
    @discardableResult
    public func write<T>(_ body: (DatabaseTransaction) throws -> T) throws -> T { try database.write(body) }

    /// The inquiry's timeline.
    public func events() throws -> [InquiryEvent] {
        try database.read { try InquiryEvents.list(inquiry: inquiry, in: $0) }
    }

    /// The inquiry's events as `kind user detail` lines (detail keys sorted).
    public func timeline() throws -> [String] {
        try events().map { event in
            ([event.kind.rawValue, event.userLogin ?? "-"]
                + event.detail.keys.sorted().map { "\($0)=\(event.detail[$0] ?? "")" }).joined(separator: " ")
        }
    }

    /// The audit entries as `actor action target detail` lines, oldest first, from `seq`.
    public func audit(after seq: Int64 = 0) throws -> [String] {
        try access.audit().filter { ($0.int64("seq") ?? 0) > seq }.map { row in
            ["actor", "action", "target", "detail"].map { row.string($0) ?? "-" }.joined(separator: " ")
        }
    }

    /// The newest audit sequence number.
    public func lastSeq() throws -> Int64 { try access.audit().last?.int64("seq") ?? 0 }

    /// The inquiry's status and assignee.
    public func state() throws -> (status: String, assignee: Int64?) {
        let row = try database.connection.rows(
            "SELECT status, assignee_id FROM inquiries WHERE id = ?", [.integer(inquiry)]
        ).first
        return (row?.string("status") ?? "", row?.int64("assignee_id"))
    }

    /// Who holds the inquiry's reply lock.
    public func holder() throws -> ReplyLock.Holder? {
        try database.read { try ReplyLock.holder(of: inquiry, in: $0) }
    }
}
