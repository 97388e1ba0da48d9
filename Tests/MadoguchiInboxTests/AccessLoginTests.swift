// Login attempts (madoguchi-security(7) E1, E4): one answer for unknown names, wrong
// passwords and locked accounts, with the same hashing work; the lockout after
// login_max_failures; the previous login shown after the next; rehash on login; every
// outcome audited with a chain that verifies; 20 parallel logins do not block lookups.

import Dispatch
import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Synchronization
import Testing

@Suite(.blocksThreads) struct AccessLoginTests {
    static let t0 = LoginFixture.start

    @Test("a login makes a new session whose token is stored only as its hash (E1), with the user's locale")
    func success() throws {
        let fixture = try LoginFixture()
        let user = try fixture.addUser()
        let first = try fixture.logIn(at: Self.t0 + 60)
        let second = try fixture.logIn(at: Self.t0 + 61)
        #expect(first.token.utf8.count == 43 && first.token != second.token)
        #expect(first.session.login == "yamada" && first.session.displayName == "山田 太郎")
        #expect(first.session.role == .operator && first.session.userID == user.id)
        #expect(first.session.previousLogin == nil && first.session.failuresSincePrevious == 0)
        #expect(first.session.locale == nil)
        try fixture.database.write { tx in
            try tx.run("UPDATE users SET locale = 'en' WHERE id = ?", [.integer(user.id)])
        }
        guard case .active(let looked) = try fixture.sessions().lookup(token: first.token, now: Self.t0 + 62) else {
            Issue.record("session not found")
            return
        }
        #expect(looked.locale == "en")
        let stored = try fixture.database.connection.rows("SELECT token_hash FROM sessions ORDER BY id").compactMap {
            $0.blob("token_hash")
        }
        #expect(stored.count == 2)
        #expect(!stored.contains(Array(first.token.utf8)))
        #expect(stored.first == SessionToken.hash(first.token))
        let entry = try #require(try fixture.audit().last)
        #expect(entry.string("action") == "login" && entry.string("actor") == "yamada")
        #expect(entry.string("src_ip") == "192.0.2.10" && entry.string("session_ref") == second.session.reference)
        #expect(entry.string("target") == "user:\(user.id)")
        #expect(try fixture.firstBrokenEntry() == nil)
    }

    @Test("an unknown name, a wrong password and a locked account get the one same error (E4)")
    func sameAnswer() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        let errors = try [("nobody", "whatever password"), ("yamada", "wrong password!!")].map { login, password in
            try #require(throws: AccessError.self) {
                try fixture.login().attempt(
                    login: login, password: password, peer: "192.0.2.7", userAgent: nil, now: Self.t0)
            }
        }
        try fixture.users().lock(login: "yamada", by: LoginFixture.admin, now: Self.t0 + 1)
        let locked = try #require(throws: AccessError.self) {
            try fixture.login().attempt(
                login: "yamada", password: LoginFixture.password, peer: "192.0.2.7", userAgent: nil, now: Self.t0 + 2)
        }
        #expect(errors + [locked] == [.loginRefused, .loginRefused, .loginRefused])
        #expect(Set((errors + [locked]).map(\.description)).count == 1)
        let failed = try fixture.audit().filter { $0.string("action") == "login-failed" }
        #expect(failed.map { $0.string("actor") } == [Login.unknownUserActor, "yamada", "yamada"])
        #expect(
            failed.map { $0.string("detail") } == [
                #"{"reason":"unknown-user"}"#, #"{"reason":"wrong-password"}"#, #"{"reason":"disabled"}"#,
            ])
        #expect(failed.allSatisfy { $0.string("result") == "failed" && $0.string("src_ip") == "192.0.2.7" })
        // The name typed for an unknown account is not recorded anywhere.
        #expect(!(try fixture.audit()).contains { ($0.string("detail") ?? "").contains("nobody") })
        #expect(try fixture.firstBrokenEntry() == nil)
    }

    @Test("an unknown name costs the same hashing work as a wrong password (dummy hash)")
    func sameWork() throws {
        // 2^15: about 30 ms a hash, well above the cost of the database work.
        let fixture = try LoginFixture(parameters: .init(logN: 15, r: 8, p: 1))
        try fixture.addUser()
        // Interleaved, so a busy machine slows both kinds alike; the median of five each.
        var times: [String: [Double]] = [:]
        for index in 0..<10 {
            let login = index % 2 == 0 ? "yamada" : "nobody"
            let started = Monotonic.now()
            fixture.refused(login, password: "not the password \(index)", at: Self.t0 + Int64(index))
            times[login, default: []].append(Monotonic.now() - started)
        }
        let wrong = (times["yamada"] ?? []).sorted()[2]
        let unknown = (times["nobody"] ?? []).sorted()[2]
        #expect(unknown >= wrong * 0.5, "unknown \(unknown) s, wrong password \(wrong) s")
        #expect(wrong >= unknown * 0.5, "unknown \(unknown) s, wrong password \(wrong) s")
    }

    @Test("10 wrong passwords, from any addresses, lock the account for 30 minutes; unlock ends the lock (E4)")
    func lockout() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        for attempt in 1...9 {
            fixture.refused(
                password: "wrong password \(attempt)", peer: "198.51.100.\(attempt)", at: Self.t0 + Int64(attempt))
        }
        #expect(try fixture.account()?.failedLogins == 9)
        #expect(try fixture.account()?.lockedUntil == nil)
        fixture.refused(password: "wrong password 10", at: Self.t0 + 10)
        let account = try #require(try fixture.account())
        #expect(account.lockedUntil == Self.t0 + 10 + 1_800 && account.isLocked(at: Self.t0 + 11))
        #expect(try fixture.actions().filter { $0 == "lockout" }.count == 1)
        // The right password during the lock: the same refusal, recorded as locked.
        fixture.refused(password: LoginFixture.password, at: Self.t0 + 20)
        fixture.refused(password: LoginFixture.password, at: Self.t0 + 10 + 1_799)
        #expect(try fixture.audit().last?.string("detail") == #"{"reason":"locked"}"#)
        // After the lock the right password works.
        _ = try fixture.logIn(at: Self.t0 + 10 + 1_800)
        #expect(try fixture.account()?.lockedUntil == nil)

        // Again, then an administrator unlocks early and the count is cleared.
        for attempt in 1...10 {
            fixture.refused(password: "wrong again \(attempt)", at: Self.t0 + 2_000 + Int64(attempt))
        }
        #expect(try fixture.account()?.isLocked(at: Self.t0 + 2_011) == true)
        try fixture.users().unlock(login: "yamada", by: LoginFixture.admin, now: Self.t0 + 2_020)
        #expect(try fixture.account()?.failedLogins == 0 && fixture.account()?.lockedUntil == nil)
        _ = try fixture.logIn(at: Self.t0 + 2_030)
        #expect(try fixture.firstBrokenEntry() == nil)
    }

    @Test("a success resets the failure count")
    func successResets() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        for attempt in 1...9 { fixture.refused(password: "wrong \(attempt) wrong", at: Self.t0 + Int64(attempt)) }
        _ = try fixture.logIn(at: Self.t0 + 100)
        #expect(try fixture.account()?.failedLogins == 0)
        for attempt in 1...9 { fixture.refused(password: "wrong \(attempt) wrong", at: Self.t0 + 200 + Int64(attempt)) }
        #expect(try fixture.account()?.isLocked(at: Self.t0 + 300) == false)
    }

    @Test("the session shows the previous login's time and address and the failures since")
    func previousLogin() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        _ = try fixture.logIn(peer: "10.0.0.1", at: Self.t0 + 100)
        fixture.refused(password: "guess number one", peer: "10.9.9.9", at: Self.t0 + 200)
        fixture.refused(password: "guess number two", peer: "10.9.9.9", at: Self.t0 + 300)
        let second = try fixture.logIn(peer: "10.0.0.2", at: Self.t0 + 400)
        #expect(second.session.previousLogin == PreviousLogin(at: Self.t0 + 100, peer: "10.0.0.1"))
        #expect(second.session.failuresSincePrevious == 2)
        // Every page's lookup shows the same.
        guard case .active(let looked) = try fixture.sessions().lookup(token: second.token, now: Self.t0 + 410) else {
            Issue.record("session not found")
            return
        }
        #expect(looked.previousLogin == second.session.previousLogin && looked.failuresSincePrevious == 2)
        let third = try fixture.logIn(peer: "10.0.0.3", at: Self.t0 + 500)
        #expect(third.session.previousLogin == PreviousLogin(at: Self.t0 + 400, peer: "10.0.0.2"))
        #expect(third.session.failuresSincePrevious == 0)
    }

    @Test("a record below the current cost is rehashed at the next successful login")
    func rehash() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        let stronger = PasswordHasher(master: fixture.master, parameters: .init(logN: 11, r: 8, p: 1))
        let record = {
            try fixture.database.connection.rows("SELECT password_hash FROM users").first?.string("password_hash")
        }
        #expect(stronger.needsRehash(try #require(try record())))
        _ = try fixture.login(hasher: stronger).attempt(
            login: "Yamada", password: LoginFixture.password, peer: "192.0.2.1", userAgent: nil, now: Self.t0)
        let updated = try #require(try record())
        #expect(updated.hasPrefix("$scrypt1$ln=11,") && !stronger.needsRehash(updated))
        #expect(try fixture.audit().last?.string("detail") == #"{"rehashed":"yes"}"#)
        _ = try fixture.login(hasher: stronger).attempt(
            login: "yamada", password: LoginFixture.password, peer: "192.0.2.1", userAgent: nil, now: Self.t0 + 1)
    }

    @Test(
        "20 parallel logins all complete and do not block a logged-in user's session lookups",
        .timeLimit(.minutes(1)))
    func parallelLogins() throws {
        // 2^14 (16 MiB, some milliseconds a hash) behind a gate of 2, as in production.
        let fixture = try LoginFixture(parameters: .init(logN: 14, r: 8, p: 1), gate: PasswordHashGate(limit: 2))
        try fixture.addUser()
        for index in 0..<20 { try fixture.addUser("user\(index)", name: "User \(index)") }
        let token = try fixture.logIn(at: Self.t0).token

        let path = fixture.temporary.path
        let cipher = fixture.temporary.cipher
        let settings = fixture.temporary.configuration
        let hasher = fixture.hasher
        let state = ParallelState(count: 20)
        let group = DispatchGroup()
        for index in 0..<20 {
            DispatchQueue.global().async(group: group) {
                defer { state.running.subtract(1, ordering: .sequentiallyConsistent) }
                do {
                    let database = try Database.open(path: path, cipher: cipher, configuration: settings)
                    let login = Login(database: database, hasher: hasher)
                    let password = index % 2 == 0 ? LoginFixture.password : "a wrong password \(index)"
                    _ = try login.attempt(
                        login: "user\(index)", password: password, peer: "192.0.2.\(index)", userAgent: nil,
                        now: Self.t0 + 5)
                    state.results.withLock { $0.append(true) }
                } catch AccessError.loginRefused {
                    state.results.withLock { $0.append(false) }
                } catch {
                    Issue.record("login \(index): \(error)")
                }
            }
        }
        // Lookups on this thread's own connection while the logins run.
        let sessions = Sessions(database: try fixture.connection())
        var slowest = 0.0
        var duringLogins = 0
        while state.running.load(ordering: .sequentiallyConsistent) > 0 {
            let started = Monotonic.now()
            // A minute later each time (up to 400 minutes), so most lookups also write last_seen_at.
            let now = Self.t0 + 5 + 60 * Int64(min(duringLogins + 1, 400))
            guard case .active = try sessions.lookup(token: token, now: now) else {
                Issue.record("session lost")
                break
            }
            slowest = max(slowest, Monotonic.now() - started)
            duringLogins += 1
        }
        group.wait()
        let outcomes = state.results.withLock { $0 }
        #expect(outcomes.count == 20)
        #expect(outcomes.filter { $0 }.count == 10)
        #expect(duringLogins > 0)
        #expect(slowest < 0.5, "slowest lookup \(slowest) s")
        #expect(try fixture.firstBrokenEntry() == nil)
    }
}

/// What the parallel logins share: their outcomes and how many still run.
private final class ParallelState: Sendable {
    let results = Mutex<[Bool]>([])
    let running: Atomic<Int>

    init(count: Int) { running = Atomic(count) }
}
