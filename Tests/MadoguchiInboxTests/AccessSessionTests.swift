// Sessions (madoguchi-security(7) E2, E3): the server ends a session after the idle
// timeout and at the maximum age whatever the browser does (injected clock), at logout,
// on a password change and on a lock; a token from elsewhere finds nothing; CSRF tokens
// are bound to one session; expiry writes one auto-logout entry per session.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct AccessSessionTests {
    static let t0 = LoginFixture.start

    static func active(_ lookup: SessionLookup, sourceLocation: SourceLocation = #_sourceLocation) -> SessionInfo? {
        guard case .active(let session) = lookup else {
            Issue.record("expected an active session, got \(lookup)", sourceLocation: sourceLocation)
            return nil
        }
        return session
    }

    @Test("a session ends after 15 minutes without a request, on the server (E3)")
    func idleTimeout() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        let login = try fixture.logIn(at: Self.t0)
        let sessions = fixture.sessions()
        #expect(login.session.expiresAt == Self.t0 + 900)
        // A request every 14 minutes keeps it alive; last_seen_at moves with them.
        var now = Self.t0
        for _ in 1...4 {
            now += 14 * 60
            let session = try #require(Self.active(try sessions.lookup(token: login.token, now: now)))
            #expect(session.lastSeenAt == now && session.expiresAt == now + 900)
        }
        #expect(try sessions.lookup(token: login.token, now: now + 900) == .expired)
        #expect(try sessions.lookup(token: login.token, now: now + 901) == .none)
        #expect(try fixture.sessionCount() == 0)
        let entry = try #require(try fixture.audit().last)
        #expect(entry.string("action") == "auto-logout" && entry.string("actor") == "yamada")
        #expect(entry.string("detail") == #"{"by":"page","reason":"idle"}"#)
        #expect(entry.string("session_ref") == login.session.reference && entry.string("src_ip") == "192.0.2.10")
        #expect(try fixture.firstBrokenEntry() == nil)
    }

    @Test("last_seen_at is written at most once a minute")
    func cheapTouch() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        let login = try fixture.logIn(at: Self.t0)
        let sessions = fixture.sessions()
        let session = try #require(Self.active(try sessions.lookup(token: login.token, now: Self.t0 + 59)))
        #expect(session.lastSeenAt == Self.t0)
        let touched = try #require(Self.active(try sessions.lookup(token: login.token, now: Self.t0 + 60)))
        #expect(touched.lastSeenAt == Self.t0 + 60)
        #expect(Sessions.Configuration().touchInterval == 60)
        #expect(Sessions.Configuration(idleTimeout: 60, maxAge: 600).touchInterval == 6)
    }

    @Test("a session ends 8 hours after its login however active it is (E3)")
    func maximumAge() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        let login = try fixture.logIn(at: Self.t0)
        let sessions = fixture.sessions()
        var now = Self.t0
        while now + 600 < Self.t0 + 8 * 3_600 {
            now += 600
            _ = try #require(Self.active(try sessions.lookup(token: login.token, now: now)))
        }
        let last = try #require(Self.active(try sessions.lookup(token: login.token, now: Self.t0 + 8 * 3_600 - 1)))
        #expect(last.expiresAt == Self.t0 + 8 * 3_600)
        #expect(try sessions.lookup(token: login.token, now: Self.t0 + 8 * 3_600) == .expired)
        #expect(try fixture.audit().last?.string("detail") == #"{"by":"page","reason":"max-age"}"#)
    }

    @Test("after logout the cookie finds nothing, and the logout is audited (E3)")
    func logout() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        let login = try fixture.logIn(at: Self.t0)
        let other = try fixture.logIn(at: Self.t0 + 1)
        let sessions = fixture.sessions()
        #expect(try sessions.logout(token: login.token, sourceIP: "192.0.2.10", now: Self.t0 + 30))
        #expect(try sessions.lookup(token: login.token, now: Self.t0 + 31) == .none)
        #expect(try !sessions.logout(token: login.token, sourceIP: "192.0.2.10", now: Self.t0 + 32))
        _ = try #require(Self.active(try sessions.lookup(token: other.token, now: Self.t0 + 33)))
        let entry = try #require(try fixture.audit().last)
        #expect(entry.string("action") == "logout" && entry.string("session_ref") == login.session.reference)
        #expect(entry.string("actor") == "yamada" && entry.string("src_ip") == "192.0.2.10")
    }

    @Test("a password change and a lock end every session of the user, not others' (E3)")
    func passwdAndLockEndSessions() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        try fixture.addUser("sato", name: "佐藤 花子")
        let first = try fixture.logIn(at: Self.t0)
        let second = try fixture.logIn(at: Self.t0 + 1)
        let sato = try fixture.logIn("sato", at: Self.t0 + 2)
        let users = fixture.users()
        let sessions = fixture.sessions()
        #expect(
            try users.changePassword(
                login: "yamada", password: "a brand new passphrase", by: LoginFixture.admin, now: Self.t0 + 10) == 2)
        #expect(try sessions.lookup(token: first.token, now: Self.t0 + 11) == .none)
        #expect(try sessions.lookup(token: second.token, now: Self.t0 + 11) == .none)
        _ = try #require(Self.active(try sessions.lookup(token: sato.token, now: Self.t0 + 11)))
        fixture.refused(password: LoginFixture.password, at: Self.t0 + 12)
        let again = try fixture.logIn(password: "a brand new passphrase", at: Self.t0 + 13)

        #expect(try users.lock(login: "yamada", by: LoginFixture.admin, now: Self.t0 + 20) == 1)
        #expect(try sessions.lookup(token: again.token, now: Self.t0 + 21) == .none)
        fixture.refused(password: "a brand new passphrase", at: Self.t0 + 22)
        try users.unlock(login: "yamada", by: LoginFixture.admin, now: Self.t0 + 30)
        #expect(try sessions.lookup(token: again.token, now: Self.t0 + 31) == .none)
        _ = try fixture.logIn(password: "a brand new passphrase", at: Self.t0 + 32)
        let changes = try fixture.audit().filter { ($0.string("action") ?? "").hasPrefix("user-") }
        #expect(
            changes.map { $0.string("action") } == ["user-add", "user-add", "user-passwd", "user-lock", "user-unlock"])
        #expect(changes[2].string("detail") == #"{"sessions_ended":2}"#)
        #expect(changes.allSatisfy { $0.string("actor") == "cli:tester" })
        #expect(try fixture.firstBrokenEntry() == nil)
    }

    @Test(
        "tokens that are malformed, from the query string or used from another address find nothing (E2, E3)",
        arguments: ["", "short", String(repeating: "A", count: 42), String(repeating: "*", count: 43)])
    func foreignTokens(token: String) throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        let login = try fixture.logIn(at: Self.t0)
        let sessions = fixture.sessions()
        #expect(try sessions.lookup(token: token, now: Self.t0 + 1) == .none)
        #expect(try sessions.lookup(token: login.token, peer: "198.51.100.9", now: Self.t0 + 1) == .none)
        _ = try #require(Self.active(try sessions.lookup(token: login.token, peer: "192.0.2.10", now: Self.t0 + 1)))
    }

    @Test("a CSRF token verifies only for its own session")
    func csrf() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        let csrf = SessionCSRF(key: try SecretKey.random())
        let first = try fixture.logIn(at: Self.t0).session
        let second = try fixture.logIn(at: Self.t0 + 1).session
        let token = try csrf.token(for: first)
        let again = try csrf.token(for: first)
        #expect(token.utf8.count == 43 && token == again)
        #expect(csrf.verify(token, for: first))
        #expect(!csrf.verify(token, for: second))
        #expect(!csrf.verify(try csrf.token(for: second), for: first))
        #expect(!csrf.verify(String(token.dropLast()) + (token.last == "A" ? "B" : "A"), for: first))
        #expect(!csrf.verify("", for: first))
        #expect(!SessionCSRF(key: try SecretKey.random()).verify(token, for: first))
        // The session the page looks up carries the same binding.
        let third = try fixture.logIn(at: Self.t0 + 2)
        let looked = try #require(Self.active(try fixture.sessions().lookup(token: third.token, now: Self.t0 + 3)))
        #expect(csrf.verify(try csrf.token(for: looked), for: looked) && !csrf.verify(token, for: looked))
        // The login form's token is bound to its pre-session value.
        let form = try csrf.token(forPreSession: "random-value-1")
        #expect(csrf.verify(form, forPreSession: "random-value-1"))
        #expect(!csrf.verify(form, forPreSession: "random-value-2") && !csrf.verify(form, forPreSession: ""))
        #expect(!csrf.verify(form, for: first))
    }

    @Test("expire ends idle and over-age sessions with one auto-logout entry each")
    func expire() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        try fixture.addUser("sato", name: "佐藤 花子")
        let idle = try fixture.logIn(at: Self.t0)
        let old = try fixture.logIn("sato", at: Self.t0 - 8 * 3_600 + 920)
        let fresh = try fixture.logIn(at: Self.t0 + 500)
        let sessions = fixture.sessions()
        // `old` was used recently, so only its age ends it.
        try fixture.database.write { tx in
            try tx.run(
                "UPDATE sessions SET last_seen_at = ? WHERE id = ?", [.integer(Self.t0 + 50), .integer(old.session.id)])
        }
        #expect(try sessions.expire(now: Self.t0 + 900, by: "expire-sessions") == 1)
        #expect(try sessions.expire(now: Self.t0 + 900, by: "expire-sessions") == 0)
        #expect(try sessions.expire(now: Self.t0 + 950, by: "expire-sessions") == 1)
        _ = try #require(Self.active(try sessions.lookup(token: fresh.token, now: Self.t0 + 950)))
        #expect(try sessions.lookup(token: idle.token, now: Self.t0 + 950) == .none)
        let entries = try fixture.audit().filter { $0.string("action") == "auto-logout" }
        #expect(entries.map { $0.string("session_ref") } == [idle.session.reference, old.session.reference])
        #expect(
            entries.map { $0.string("detail") } == [
                #"{"by":"expire-sessions","reason":"idle"}"#, #"{"by":"expire-sessions","reason":"max-age"}"#,
            ])
        #expect(entries.map { $0.string("actor") } == ["yamada", "sato"])
        #expect(try fixture.firstBrokenEntry() == nil)
    }
}
