// `madoguchi list`: exact JSON objects newest activity first, the status and mailbox
// filters, usage errors, terminal-safe aligned text, and the audit entry it writes.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiInbox
import MadoguchiPrograms
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct ListCommandTests {
    static let keys: Set<String> = ["id", "status", "subject", "received", "messages", "customer", "mailbox"]

    @Test("JSON: one object per inquiry with exactly the documented keys and values, newest activity first")
    func json() throws {
        let fixture = try AdminCommandFixture()
        let older = try fixture.file(subject: "請求書の再発行", mailbox: "support")
        let newer = try fixture.file(
            subject: "Password reset", mailbox: "sales", received: AdminCommandFixture.nine + 3600,
            status: "in_progress")
        // A reply makes the older inquiry the most recently active one.
        try fixture.reply(to: older, at: AdminCommandFixture.nine + 7200)

        let (status, output, _) = try fixture.list(["--json"])
        #expect(status == .ok)
        let objects = try AdminCommandFixture.objects(output)
        try #require(objects.count == 2)
        for object in objects { #expect(Set(object.keys) == Self.keys) }
        #expect(objects[0]["id"] as? Int == Int(older.inquiryID))
        #expect(objects[0]["status"] as? String == "new")
        #expect(objects[0]["subject"] as? String == "請求書の再発行")
        #expect(objects[0]["received"] as? String == "2026-11-29T09:00:00Z")
        #expect(objects[0]["messages"] as? Int == 2)
        #expect(objects[0]["customer"] as? String == (try fixture.pseudonym(older)))
        #expect(objects[0]["mailbox"] as? String == "support")
        #expect(objects[1]["id"] as? Int == Int(newer.inquiryID))
        #expect(objects[1]["status"] as? String == "in_progress")
        #expect(objects[1]["subject"] as? String == "Password reset")
        #expect(objects[1]["received"] as? String == "2026-11-29T10:00:00Z")
        #expect(objects[1]["messages"] as? Int == 1)
        #expect(objects[1]["customer"] as? String == (try fixture.pseudonym(newer)))
        #expect(objects[1]["mailbox"] as? String == "sales")
        #expect(output.split(separator: "\n").count == 2)
    }

    @Test("an inquiry without customer or subject still has every key, as null")
    func nulls() throws {
        let fixture = try AdminCommandFixture()
        let filed = try fixture.file(subject: "件名")
        try fixture.instance.database.write { tx in
            var values = RowValues()
            values.seal("subject_enc", nil as String?)
            values.set("customer_id", .null)
            try tx.update("inquiries", id: filed.inquiryID, values)
        }
        let line = try fixture.list(["--json"]).output
        let object = try #require(try AdminCommandFixture.objects(line).first)
        #expect(Set(object.keys) == Self.keys)
        #expect(object["customer"] is NSNull)
        #expect(object["subject"] is NSNull)
        #expect(line.contains(#""customer":null"#))
    }

    @Test("--status and --mailbox filter; unknown values are usage errors (exit 64)")
    func filters() throws {
        let fixture = try AdminCommandFixture()
        let open = try fixture.file(subject: "one", mailbox: "support")
        let closed = try fixture.file(subject: "two", mailbox: "support", status: "done")
        let sales = try fixture.file(subject: "three", mailbox: "sales")

        func ids(_ arguments: [String]) throws -> [Int] {
            try AdminCommandFixture.objects(try fixture.list(["--json"] + arguments).output).compactMap {
                $0["id"] as? Int
            }
        }
        #expect(try ids(["--status", "done"]) == [Int(closed.inquiryID)])
        #expect(try ids(["--mailbox", "sales"]) == [Int(sales.inquiryID)])
        #expect(try ids(["--mailbox", "support", "--status", "new"]) == [Int(open.inquiryID)])
        #expect(try ids(["--status", "trash"]).isEmpty)

        #expect(throws: UsageError.self) { try fixture.list(["--status", "deleted"]) }
        #expect(throws: UsageError.self) { try fixture.list(["--mailbox", "nosuch"]) }
        #expect(throws: UsageError.self) { try fixture.list(["extra"]) }
        #expect(throws: UsageError.self) { try fixture.list(["--bogus"]) }
    }

    @Test("text: aligned columns, control characters and bidi overrides in subjects escaped")
    func text() throws {
        let fixture = try AdminCommandFixture()
        try fixture.file(subject: "evil\u{1B}[2J\r\nnext\u{202E}txt.exe", mailbox: "窓口サポート")
        try fixture.file(subject: "plain", mailbox: "support", received: AdminCommandFixture.nine + 60)

        let (status, output, _) = try fixture.list([])
        #expect(status == .ok)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 3)
        #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\r" || $0 == "\u{202E}" })
        #expect(output.contains("evil\\x1B[2J\\r\\nnext\\u{202E}txt.exe"))
        // The SUBJECT column starts at the same display column on every line.
        let starts = lines.map { line -> Int in
            let subject = ["SUBJECT", "plain", "evil"].first { line.contains($0) } ?? ""
            let prefix = String(line[..<line.range(of: subject)!.lowerBound])
            return AdminOutput.displayWidth(prefix)
        }
        #expect(Set(starts).count == 1)
        #expect(lines[1].hasSuffix("plain"))
    }

    @Test("listing is audited (actor, action, result count) before anything is printed")
    func audited() throws {
        let fixture = try AdminCommandFixture()
        try fixture.file(subject: "請求書")
        _ = try fixture.list(["--json"])
        let row = try #require(try fixture.audit().last)
        #expect(row.string("actor") == AdminCommandFixture.actor)
        #expect(row.string("action") == "list")
        #expect(row.string("detail") == #"{"results":1}"#)
        #expect(!(row.string("detail") ?? "").contains("請求書"))
    }

    @Test("a reader that went away (| head) ends the listing quietly with status 0")
    func closedPipe() throws {
        let fixture = try AdminCommandFixture()
        try fixture.file(subject: "請求書")
        signal(SIGPIPE, SIG_IGN)  // as ToolMain.run does: EPIPE instead of death
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        close(ends[0])
        defer { close(ends[1]) }
        let context = try fixture.context
        let status = try ListCommand.run(
            AdminInvocation(
                arguments: ["--json"], context: context, output: ends[1], actor: AdminCommandFixture.actor))
        #expect(status == .ok)
    }

    @Test("the actor is cli: plus the invoking user's login name")
    func actor() {
        let actor = AdminActor.current()
        #expect(actor.hasPrefix("cli:"))
        #expect(actor.count > 4)
        #expect(!actor.contains("\n"))
    }
}
