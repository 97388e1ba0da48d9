// expire-sessions on a real instance: ends idle and over-age sessions with one
// auto-logout entry each, records its run in job_runs, and prints nothing.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiPrograms
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct ExpireSessionsTests {
    @Test("a run ends expired sessions with an auto-logout entry each and records the job")
    func expires() throws {
        let fixture = try AdminCommandFixture(
            extraConfiguration: "password_hash_cost = 10\nsession_idle_timeout = 10m\nsession_max_age = 1h\n")
        let database = fixture.instance.database
        let hasher = try PasswordHasher(configuration: fixture.configuration)
        let t0 = AdminCommandFixture.nine
        let users = Users(database: database, hasher: hasher)
        for login in ["yamada", "sato"] {
            try users.add(
                login: login, displayName: login, role: "operator", password: "long enough passphrase",
                by: AccessActor(actor: AdminCommandFixture.actor), now: t0)
        }
        let login = Login(
            database: database, hasher: hasher, sessions: Sessions.Configuration(fixture.configuration))
        let idle = try login.attempt(
            login: "yamada", password: "long enough passphrase", peer: "192.0.2.1", userAgent: nil, now: t0)
        let busy = try login.attempt(
            login: "sato", password: "long enough passphrase", peer: "192.0.2.2", userAgent: nil, now: t0)
        let sessions = Sessions(database: database, configuration: Sessions.Configuration(fixture.configuration))
        // sato keeps working: a request every 5 minutes.
        for step in 1...11 {
            _ = try sessions.lookup(token: busy.token, now: t0 + Int64(step) * 300)
        }
        let log = Log(program: ExpireSessions.program)
        #expect(try ExpireSessions.run(configuration: fixture.configuration, log: log, now: t0 + 599) == .ok)
        #expect(try ExpireSessions.run(configuration: fixture.configuration, log: log, now: t0 + 600) == .ok)
        var run = try #require(try JobRun.latest(program: ExpireSessions.program, connection: database.connection))
        #expect(run.outcome == .ok && run.counts == ["ended": 1])
        #expect(try ExpireSessions.run(configuration: fixture.configuration, log: log, now: t0 + 3_600) == .ok)
        run = try #require(try JobRun.latest(program: ExpireSessions.program, connection: database.connection))
        #expect(run.counts == ["ended": 1])
        let entries = try fixture.audit().filter { $0.string("action") == "auto-logout" }
        #expect(entries.map { $0.string("actor") } == ["yamada", "sato"])
        #expect(entries.map { $0.string("session_ref") } == [idle.session.reference, busy.session.reference])
        #expect(entries.map { $0.string("src_ip") } == ["192.0.2.1", "192.0.2.2"])
        #expect(
            entries.map { $0.string("detail") } == [
                #"{"by":"expire-sessions","reason":"idle"}"#, #"{"by":"expire-sessions","reason":"max-age"}"#,
            ])
        #expect(entries.map { $0.string("ts") } == ["2026-11-29T09:10:00.000Z", "2026-11-29T10:00:00.000Z"])
        #expect(try database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
    }

    @Test("the built program prints nothing on success and exits 64 on operands", .timeLimit(.minutes(1)))
    func binary() throws {
        let fixture = try AdminCommandFixture()
        let config = fixture.layout.configurationFile
        let run = try BuiltProgram.run("expire-sessions", ["--config", config])
        #expect(run.status == 0 && run.output.isEmpty)
        let bad = try BuiltProgram.run("expire-sessions", ["--config", config, "extra"])
        #expect(bad.status == 64)
        let help = try BuiltProgram.run("expire-sessions", ["--help"])
        #expect(help.output == "usage: expire-sessions [-nv] [--config file]\n")
    }
}
