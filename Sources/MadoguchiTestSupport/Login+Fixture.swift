// Login+Fixture (LoginFixture): a temporary database with a fast password hasher and the
// Access functions over it, an injected clock, and helpers for the audit rows — for
// the users, login and session tests.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiStore
import Testing

/// A database with operator accounts for access tests.
public final class LoginFixture {
    /// A cheap scrypt cost (2^10), so the suite stays fast.
    public static let fast = PasswordHasher.Parameters(logN: 10, r: 8, p: 1)
    /// 2026-11-29T09:00:00Z.
    public static let start: Int64 = 1_795_942_800
    /// A password the policy accepts.
    public static let password = "correct horse battery staple"
    /// The admin actor of the fixture's changes.
    public static let admin = AccessActor(actor: "cli:tester")

    public let temporary: TemporaryDatabase
    public let database: Database
    public let master: MasterKey
    public let hasher: PasswordHasher
    public let loginConfiguration: Login.Configuration
    public let sessionConfiguration: Sessions.Configuration

    /// A fresh database; `parameters` and `gate` choose the hasher's cost and concurrency.
    public init(
        parameters: PasswordHasher.Parameters = LoginFixture.fast, gate: PasswordHashGate = PasswordHashGate(),
        login: Login.Configuration = Login.Configuration(), sessions: Sessions.Configuration = Sessions.Configuration()
    ) throws {
        temporary = try TemporaryDatabase(busyTimeoutMilliseconds: 10_000)
        database = try temporary.open()
        master = try MasterKey.generate()
        hasher = PasswordHasher(master: master, parameters: parameters, gate: gate)
        loginConfiguration = login
        sessionConfiguration = sessions
    }

    /// Another connection to the same database (one per thread).
    public func connection() throws -> Database { try temporary.open() }

    public func users(_ database: Database? = nil) -> Users {
        Users(database: database ?? self.database, hasher: hasher)
    }

    public func login(_ database: Database? = nil, hasher: PasswordHasher? = nil) -> Login {
        Login(
            database: database ?? self.database, hasher: hasher ?? self.hasher, configuration: loginConfiguration,
            sessions: sessionConfiguration)
    }

    public func sessions(_ database: Database? = nil) -> Sessions {
        Sessions(database: database ?? self.database, configuration: sessionConfiguration)
    }

    /// Adds an account at `start`.
    @discardableResult
    public func addUser(
        _ login: String = "yamada", name: String = "山田 太郎", role: String = "operator",
        password: String = LoginFixture.password
    ) throws -> UserAccount {
        try users().add(
            login: login, displayName: name, role: role, password: password, by: LoginFixture.admin,
            now: LoginFixture.start)
    }

    /// Logs in and requires success.
    public func logIn(
        _ login: String = "yamada", password: String = LoginFixture.password, peer: String = "192.0.2.10",
        at now: Int64
    ) throws -> LoginSuccess {
        try self.login().attempt(login: login, password: password, peer: peer, userAgent: "TestBrowser/1", now: now)
    }

    /// Tries a login that must be refused with the one refusal error.
    public func refused(
        _ login: String = "yamada", password: String, peer: String = "192.0.2.10", at now: Int64,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(throws: AccessError.loginRefused, sourceLocation: sourceLocation) {
            try self.login().attempt(login: login, password: password, peer: peer, userAgent: nil, now: now)
        }
    }

    /// The audit rows, oldest first.
    public func audit() throws -> [Row] {
        try database.connection.rows("SELECT * FROM audit ORDER BY seq")
    }

    /// The audit actions, oldest first.
    public func actions() throws -> [String] {
        try audit().compactMap { $0.string("action") }
    }

    /// The first audit entry that does not verify (nil when both chains are intact).
    public func firstBrokenEntry() throws -> Int64? {
        try database.read { try AuditLog.firstBrokenEntry(in: $0) }
    }

    /// The account named `login`.
    public func account(_ login: String = "yamada") throws -> UserAccount? {
        try database.read { try Users.find(login: login, in: $0) }
    }

    /// How many sessions the database holds.
    public func sessionCount() throws -> Int64 {
        try database.connection.rows("SELECT count(*) AS n FROM sessions").first?.int64("n") ?? -1
    }
}
