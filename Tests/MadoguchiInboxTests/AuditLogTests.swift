// The audit log: sequence numbers, both hash chains, control characters escaped,
// append-only triggers, and verification from the genesis hash.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@testable import MadoguchiInbox

@Suite(.blocksThreads) struct AuditLogTests {
    @Test("entries chain from the genesis hash globally and per actor")
    func chains() throws {
        let temporary = try TemporaryDatabase()
        let database = try temporary.open()
        let at = Date(timeIntervalSince1970: 1_780_000_000)
        let sequence = try database.write { tx in
            [
                try AuditLog.append(AuditEvent(actor: "system:scan-and-file", action: .quarantine), in: tx, now: at),
                try AuditLog.append(AuditEvent(actor: "admin", action: .search, detail: "{\"terms\":1}"), in: tx),
                try AuditLog.append(AuditEvent(actor: "system:scan-and-file", action: .quarantinePurge), in: tx),
            ]
        }
        #expect(sequence == [1, 2, 3])
        let rows = try database.connection.rows("SELECT * FROM audit ORDER BY seq")
        #expect(rows[0].string("prev_hash") == Hex.encode(AuditRecord.genesis))
        #expect(rows[0].string("ts") == "2026-05-28T20:26:40.000Z")
        #expect(rows[1].string("prev_hash") == rows[0].string("hash"))
        #expect(rows[1].string("actor_prev") == Hex.encode(AuditRecord.actorGenesis("admin")))
        #expect(rows[2].string("actor_prev") == rows[0].string("actor_hash"))
        #expect(try database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
    }

    @Test("timestamps as ISO8601DateFormatter with fractional seconds writes them")
    func timestampsAsTheFormatterWritesThem() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        // Whole milliseconds and values between them (never an exact half, where the
        // two may round a double differently), 1970 to 2100, and a few before 1970.
        var seconds: [Double] = [0, 0.001, 0.999, 59.9991, 86_399.9994, 951_782_400.25, -1.5, -86_400.123]
        for _ in 0..<2000 {
            let millisecond = Double(Int64.random(in: 0..<4_102_444_800_000, using: &generator))
            seconds.append((millisecond + Double.random(in: 0.05..<0.45, using: &generator)) / 1000)
        }
        for value in seconds {
            let date = Date(timeIntervalSince1970: value)
            #expect(AuditLog.timestamp(date) == formatter.string(from: date), "\(value)")
        }
    }

    @Test("control characters are escaped and rows cannot be updated or deleted")
    func appendOnly() throws {
        let temporary = try TemporaryDatabase()
        let database = try temporary.open()
        try database.write { tx in
            try AuditLog.append(
                AuditEvent(actor: "evil\r\nadmin", action: .quarantineShow, target: "x\u{1B}[2J"), in: tx)
        }
        let row = try #require(try database.connection.rows("SELECT actor, target FROM audit").first)
        #expect(row.string("actor")?.contains("\r") == false)
        #expect(row.string("target")?.contains("\u{1B}") == false)
        #expect(throws: (any Error).self) { try database.connection.run("UPDATE audit SET action = 'x'") }
        #expect(throws: (any Error).self) { try database.connection.run("DELETE FROM audit") }
        #expect(try database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
    }

    /// Six entries, actors `a` and `b` taking turns.
    private static func log() throws -> (TemporaryDatabase, Database) {
        let temporary = try TemporaryDatabase()
        let database = try temporary.open()
        try database.write { tx in
            for index in 1...6 {
                try AuditLog.append(
                    AuditEvent(actor: index % 2 == 1 ? "a" : "b", action: .list, target: "t:\(index)"), in: tx,
                    now: Date(timeIntervalSince1970: 1_780_000_000 + Double(index)))
            }
        }
        return (temporary, database)
    }

    /// Runs SQL on the file behind the program's back (Python's sqlite3, triggers dropped),
    /// as someone with write access to the database file could.
    private static func tamper(_ path: String, _ sql: String) throws {
        let python = try ChildProcess.run(
            "/usr/bin/python3",
            [
                "-c",
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                    + "c.executescript('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; ' + sys.argv[2]); "
                    + "c.commit()",
                path, sql,
            ])
        try #require(python.status == 0 && !python.killed, "\(python.output)")
    }

    /// The rows' global hashes from `seq` on, recomputed after an edit (what an attacker
    /// who knows the scheme can do for one chain), as UPDATE statements.
    private static func recomputeGlobal(from seq: Int64, in database: Database) throws -> String {
        let rows = try database.connection.rows("SELECT * FROM audit ORDER BY seq")
        var previous = AuditRecord.genesis
        var sql = ""
        for row in rows {
            let record = AuditRecord(
                seq: row.int64("seq") ?? 0, timestamp: row.string("ts") ?? "", actor: row.string("actor") ?? "",
                sessionRef: nil, sourceIP: nil, action: row.string("action") ?? "", target: row.string("target"),
                result: row.string("result") ?? "ok", detail: nil)
            let hash = record.chainHash(previous: previous)
            if record.seq >= seq {
                sql +=
                    "UPDATE audit SET prev_hash = '\(Hex.encode(previous))', hash = '\(Hex.encode(hash))' "
                    + "WHERE seq = \(record.seq); "
            }
            previous = hash
        }
        return sql
    }

    @Test(
        "the verifier names the first bad entry of either chain: edited, deleted, reordered, one chain recomputed",
        arguments: ["edit", "delete", "reorder", "global chain recomputed", "actor link cut"])
    func tampering(attack: String) throws {
        let (temporary, database) = try Self.log()
        #expect(try database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
        let expected: Int64
        switch attack {
        case "edit":
            try Self.tamper(temporary.path, "UPDATE audit SET target = 't:x' WHERE seq = 3;")
            expected = 3
        case "delete":
            try Self.tamper(temporary.path, "DELETE FROM audit WHERE seq = 4;")
            expected = 4
        case "reorder":
            try Self.tamper(
                temporary.path,
                "UPDATE audit SET seq = 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; "
                    + "UPDATE audit SET seq = 3 WHERE seq = 100;")
            expected = 2
        case "global chain recomputed":
            // The global chain verifies again; only b's chain still tells.
            try Self.tamper(temporary.path, "UPDATE audit SET target = 't:x' WHERE seq = 4;")
            let reopened = try temporary.open()
            try Self.tamper(temporary.path, try Self.recomputeGlobal(from: 4, in: reopened))
            expected = 4
        default:
            // a's third entry claims to be a's first.
            let genesis = Hex.encode(AuditRecord.actorGenesis("a"))
            try Self.tamper(temporary.path, "UPDATE audit SET actor_prev = '\(genesis)' WHERE seq = 5;")
            expected = 5
        }
        let reopened = try temporary.open()
        #expect(try reopened.read { try AuditLog.firstBrokenEntry(in: $0) } == expected)
    }

    @Test("every action's entry hashes to the bytes of earlier releases")
    func stableBytes() throws {
        let actions = [
            "list", "search", "quarantine", "quarantine-purge", "quarantine-list", "quarantine-show",
            "quarantine-show-raw", "quarantine-release", "quarantine-delete", "quarantine-release-force",
        ]
        // The actions of earlier releases keep their strings; later ones are added after them.
        #expect(Array(AuditAction.allCases.map(\.rawValue).prefix(actions.count)) == actions)
        #expect(AuditResult.allCases.map(\.rawValue) == ["ok", "denied", "failed"])
        let names = AuditAction.allCases.map(\.rawValue) + AuditResult.allCases.map(\.rawValue)
        #expect(names.allSatisfy { Log.escape($0) == $0 })

        let temporary = try TemporaryDatabase()
        let database = try temporary.open()
        let at = Date(timeIntervalSince1970: 1_780_000_000)
        try database.write { tx in
            for action in actions.compactMap(AuditAction.init(rawValue:)) {
                try AuditLog.append(
                    AuditEvent(actor: "cli:admin", action: action, target: "quarantine:1"), in: tx, now: at)
            }
        }
        let rows = try database.connection.rows("SELECT action, result, hash FROM audit ORDER BY seq")
        #expect(rows.map { $0.string("action") } == actions)
        #expect(rows.allSatisfy { $0.string("result") == "ok" })
        // The chain head written by the string-typed AuditEvent before AuditAction existed.
        #expect(rows.last?.string("hash") == "61e73be4600985d9f9bf16f5977e9883739e1320d53c80ae8834abfedcdce3de")
    }

    @Test("an action this release does not know still reads and verifies")
    func unknownAction() throws {
        let temporary = try TemporaryDatabase()
        let database = try temporary.open()
        try database.write { tx in
            try AuditLog.append(AuditEvent(actor: "cli:admin", action: .list), in: tx)
            let last = try #require(try tx.rows("SELECT hash FROM audit WHERE seq = 1").first?.string("hash"))
            let future = AuditRecord(
                seq: 2, timestamp: "2027-01-01T00:00:00.000Z", actor: "cli:admin", action: "export-audit",
                result: "ok")
            let previous = try #require(Hex.decode(last))
            let actorPrevious = try #require(
                try tx.rows("SELECT actor_hash FROM audit WHERE seq = 1").first?.string("actor_hash").flatMap(
                    Hex.decode))
            try tx.run(
                """
                INSERT INTO audit (seq, ts, actor, action, result, prev_hash, hash, actor_prev, actor_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .integer(2), .text(future.timestamp), .text(future.actor), .text(future.action),
                    .text(future.result), .text(last), .text(Hex.encode(future.chainHash(previous: previous))),
                    .text(Hex.encode(actorPrevious)), .text(Hex.encode(future.actorHash(previous: actorPrevious))),
                ])
            #expect(future.knownAction == nil && future.knownResult == .ok)
        }
        #expect(try database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
        try database.write { tx in
            try AuditLog.append(AuditEvent(actor: "cli:admin", action: .search), in: tx)
        }
        #expect(try database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
    }
}
