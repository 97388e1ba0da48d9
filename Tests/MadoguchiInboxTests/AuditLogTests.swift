// The audit log: sequence numbers, both hash chains, control characters escaped,
// append-only triggers, and verification from the genesis hash.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct AuditLogTests {
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

    @Test("every action's entry hashes to the bytes of earlier releases")
    func stableBytes() throws {
        let actions = [
            "list", "search", "quarantine", "quarantine-purge", "quarantine-list", "quarantine-show",
            "quarantine-show-raw", "quarantine-release", "quarantine-delete", "quarantine-release-force",
        ]
        #expect(AuditAction.allCases.map(\.rawValue) == actions)
        #expect(AuditResult.allCases.map(\.rawValue) == ["ok", "denied", "failed"])
        let names = AuditAction.allCases.map(\.rawValue) + AuditResult.allCases.map(\.rawValue)
        #expect(names.allSatisfy { Log.escape($0) == $0 })

        let temporary = try TemporaryDatabase()
        let database = try temporary.open()
        let at = Date(timeIntervalSince1970: 1_780_000_000)
        try database.write { tx in
            for action in AuditAction.allCases {
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
