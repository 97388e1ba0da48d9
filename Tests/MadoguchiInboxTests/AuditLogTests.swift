// The audit log: sequence numbers, both hash chains, control characters escaped,
// append-only triggers, and verification from the genesis hash.

import Foundation
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
                try AuditLog.append(AuditEvent(actor: "system:scan-and-file", action: "quarantine"), in: tx, now: at),
                try AuditLog.append(AuditEvent(actor: "admin", action: "search", detail: "{\"terms\":1}"), in: tx),
                try AuditLog.append(AuditEvent(actor: "system:scan-and-file", action: "file"), in: tx),
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
            try AuditLog.append(AuditEvent(actor: "evil\r\nadmin", action: "login", target: "x\u{1B}[2J"), in: tx)
        }
        let row = try #require(try database.connection.rows("SELECT actor, target FROM audit").first)
        #expect(row.string("actor")?.contains("\r") == false)
        #expect(row.string("target")?.contains("\u{1B}") == false)
        #expect(throws: (any Error).self) { try database.connection.run("UPDATE audit SET action = 'x'") }
        #expect(throws: (any Error).self) { try database.connection.run("DELETE FROM audit") }
        #expect(try database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
    }
}
