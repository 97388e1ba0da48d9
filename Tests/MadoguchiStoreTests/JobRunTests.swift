// JobRun: start and finish records, outcomes from exit codes, counts as JSON, and a
// record that survives the rollback of the job's own work.

import CSQLite
import MadoguchiCore
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct JobRunTests {
    @Test("a run is recorded at start and completed at finish with counts")
    func startAndFinish() throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.open().connection
        let run = try JobRun.start(program: "scan-and-file", connection: connection, now: 1000)
        let running = try #require(try JobRun.latest(program: "scan-and-file", connection: connection))
        #expect(running.outcome == .running)
        #expect(running.endedAt == nil)
        #expect(running.exitCode == nil)

        try run.finish(exit: .ok, counts: ["filed": 3, "quarantined": 1], message: "ok\nforged line", now: 1005)
        let done = try #require(try JobRun.latest(program: "scan-and-file", connection: connection))
        #expect(done.id == run.id)
        #expect(done.startedAt == 1000)
        #expect(done.endedAt == 1005)
        #expect(done.outcome == .ok)
        #expect(done.exitCode == 0)
        #expect(done.counts == ["filed": 3, "quarantined": 1])
        #expect(done.message == "ok\\nforged line")
        #expect(try connection.scalar("SELECT counts FROM job_runs") == .text(#"{"filed":3,"quarantined":1}"#))
        #expect(throws: StoreError.self) { try run.finish(exit: .ok) }
    }

    @Test(
        "the outcome follows the exit status",
        arguments: [(SysExit.ok, JobOutcome.ok), (.tempFail, .tempFail), (.software, .failed), (.dataError, .failed)])
    func outcomes(exit: SysExit, outcome: JobOutcome) throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.open().connection
        try JobRun.start(program: "send-replies", connection: connection).finish(exit: exit)
        let record = try #require(try JobRun.latest(program: "send-replies", connection: connection))
        #expect(record.outcome == outcome)
        #expect(record.exitCode == exit.rawValue)
        #expect(record.counts.isEmpty)
    }

    @Test("the record survives a rollback of the job's work, and latest picks the newest run")
    func survivesRollback() throws {
        struct Failure: Error {}
        let temp = try TemporaryDatabase()
        let connection = try temp.open().connection
        try JobRun.start(program: "nightly-backup", connection: connection, now: 10).finish(exit: .ok, now: 11)
        let run = try JobRun.start(program: "nightly-backup", connection: connection, now: 20)
        #expect(throws: Failure.self) {
            try connection.write { db in
                try db.run("INSERT INTO settings (name, value, updated_at) VALUES ('x', 'y', 1)")
                throw Failure()
            }
        }
        try run.finish(exit: .ioError, outcome: .partial, counts: ["errors": 1], now: 25)
        let record = try #require(try JobRun.latest(program: "nightly-backup", connection: connection))
        #expect(record.id == run.id)
        #expect(record.outcome == .partial)
        #expect(record.exitCode == 74)
        #expect(try JobRun.latest(program: "never-ran", connection: connection) == nil)
    }

    @Test("a run left 'running' by a killed program is closed as interrupted when the next run starts")
    func interrupted() throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.open().connection
        let killed = try JobRun.start(program: "scan-and-file", connection: connection, now: 1000)
        let other = try JobRun.start(program: "expire-sessions", connection: connection, now: 1001)
        let next = try JobRun.start(program: "scan-and-file", connection: connection, now: 1060)
        let row = try #require(try connection.rows("SELECT * FROM job_runs WHERE id = ?", [.integer(killed.id)]).first)
        #expect(row.string("outcome") == "failed")
        #expect(row.string("message") == "interrupted")
        #expect(row.int64("ended_at") == 1060)
        #expect(try JobRun.latest(program: "scan-and-file", connection: connection)?.id == next.id)
        #expect(try JobRun.latest(program: "expire-sessions", connection: connection)?.outcome == .running)
        _ = other
    }

    @Test("invalid counter names are refused")
    func invalidCounterName() throws {
        let temp = try TemporaryDatabase()
        let connection = try temp.open().connection
        let run = try JobRun.start(program: "expire-sessions", connection: connection)
        let error = try #require(throws: StoreError.self) { try run.finish(exit: .ok, counts: ["bad\"name": 1]) }
        #expect(error.code == SQLITE_MISUSE)
        #expect(!run.isFinished)
    }
}
