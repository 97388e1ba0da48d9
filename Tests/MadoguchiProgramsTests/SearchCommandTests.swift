// `madoguchi search`: Japanese substring examples of the issue through the command,
// grouping into inquiries, the mailbox filter, the truncation note, usage errors, the
// audit entry without the query text, fail-closed refusal when the audit insert fails,
// and one run through the built binary.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiPrograms
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct SearchCommandTests {
    func ids(_ fixture: AdminCommandFixture, _ arguments: [String]) throws -> [Int] {
        try AdminCommandFixture.objects(try fixture.search(["--json"] + arguments).output).compactMap {
            $0["id"] as? Int
        }
    }

    @Test("請求書 finds 「請求書の再発行」, ﾊﾟｽﾜｰﾄﾞ finds パスワード, ＡＢＣ finds abc")
    func japanese() throws {
        let fixture = try AdminCommandFixture()
        let invoice = try fixture.file(subject: "「請求書の再発行」", body: "先月分をお願いします。")
        let password = try fixture.file(
            subject: "ログインできません", body: "パスワードを忘れました。", received: AdminCommandFixture.nine + 60)
        let abc = try fixture.file(
            subject: "お見積もり", body: "abc株式会社の件です。", received: AdminCommandFixture.nine + 120)

        #expect(try ids(fixture, ["請求書"]) == [Int(invoice.inquiryID)])
        #expect(try ids(fixture, ["ﾊﾟｽﾜｰﾄﾞ"]) == [Int(password.inquiryID)])
        #expect(try ids(fixture, ["ＡＢＣ"]) == [Int(abc.inquiryID)])
        #expect(try ids(fixture, ["お願い"]) == [Int(invoice.inquiryID)])
        #expect(try ids(fixture, ["再発行の請求書"]).isEmpty)

        let object = try #require(try AdminCommandFixture.objects(try fixture.search(["--json", "請求書"]).output).first)
        #expect(Set(object.keys) == ListCommandTests.keys)
        #expect(object["subject"] as? String == "「請求書の再発行」")
        #expect(object["received"] as? String == "2026-11-29T09:00:00Z")
        #expect(object["customer"] as? String == (try fixture.pseudonym(invoice)))
        #expect(object["mailbox"] as? String == "support")
        #expect(object["messages"] as? Int == 1)
    }

    @Test("matches are grouped into inquiries newest first; --mailbox limits; unknown mailbox is a usage error")
    func grouping() throws {
        let fixture = try AdminCommandFixture()
        let first = try fixture.file(subject: "請求書A", mailbox: "sales")
        let second = try fixture.file(subject: "請求書B", mailbox: "support", received: AdminCommandFixture.nine + 60)
        try fixture.reply(to: first, at: AdminCommandFixture.nine + 3600)
        #expect(try ids(fixture, ["請求書"]) == [Int(first.inquiryID), Int(second.inquiryID)])
        #expect(try ids(fixture, ["--mailbox", "support", "請求書"]) == [Int(second.inquiryID)])
        #expect(throws: UsageError.self) { try fixture.search(["--mailbox", "nosuch", "請求書"]) }
    }

    @Test("an empty query, a missing query and two queries are usage errors")
    func usage() throws {
        let fixture = try AdminCommandFixture()
        #expect(throws: UsageError.self) { try fixture.search([""]) }
        #expect(throws: UsageError.self) { try fixture.search([" \t "]) }
        #expect(throws: UsageError.self) { try fixture.search([]) }
        #expect(throws: UsageError.self) { try fixture.search(["a", "b"]) }
        #expect(try fixture.audit().isEmpty)
    }

    @Test("the audit entry records term and result counts, never the query text")
    func audited() throws {
        let fixture = try AdminCommandFixture()
        try fixture.file(subject: "請求書の再発行")
        _ = try fixture.search(["--json", "請求書の"])
        let rows = try fixture.audit()
        try #require(rows.count == 1)
        let row = rows[0]
        #expect(row.string("actor") == AdminCommandFixture.actor)
        #expect(row.string("action") == "search")
        #expect(row.string("result") == "ok")
        #expect(
            row.string("detail") == #"{"candidates":1,"limited":0,"messages":1,"results":1,"terms":3,"truncated":0}"#)
        for column in row.columns {
            let text = row.string(column) ?? ""
            for fragment in ["請求", "求書", "書の", "請求書の"] { #expect(!text.contains(fragment), "\(column)") }
        }
        #expect(try fixture.instance.database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
    }

    @Test("when the audit entry cannot be written, the search is refused and prints nothing")
    func failClosed() throws {
        let fixture = try AdminCommandFixture()
        try fixture.file(subject: "請求書の再発行")
        // An actor longer than the audit table's CHECK allows makes the audit insert fail.
        let refused = "cli:" + String(repeating: "x", count: 200)
        let output = fixture.directory.file("refused.out")
        let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        defer { close(fd) }
        let context = try fixture.context
        #expect(throws: StoreError.self) {
            _ = try SearchCommand.run(
                AdminInvocation(
                    arguments: ["--json", "請求書"], context: context, output: fd, errorOutput: fd, actor: refused))
        }
        #expect(try String(contentsOfFile: output, encoding: .utf8).isEmpty)
        #expect(try fixture.audit().isEmpty)
    }

    @Test("reaching the candidate cap prints a note on standard error")
    func truncated() throws {
        let fixture = try AdminCommandFixture(extraConfiguration: "search_candidate_limit = 2\n")
        for minute in 0..<4 {
            try fixture.file(subject: "請求書 \(minute)", received: AdminCommandFixture.nine + Int64(minute) * 60)
        }
        let (status, output, error) = try fixture.search(["--json", "請求書"])
        #expect(status == .ok)
        #expect(try AdminCommandFixture.objects(output).count == 2)
        #expect(error.contains("more than 2 candidates"))
        #expect(try fixture.audit().last?.string("detail")?.contains(#""truncated":1"#) == true)
    }

    @Test("--limit shows the inquiries of the newest N matches, notes the rest, and 0 shows all")
    func resultLimit() throws {
        let fixture = try AdminCommandFixture()
        var newest: [Int64] = []
        for minute in 0..<5 {
            let filed = try fixture.file(
                subject: "請求書 \(minute)", received: AdminCommandFixture.nine + Int64(minute) * 60)
            newest.insert(filed.inquiryID, at: 0)
        }
        try fixture.file(subject: "請求 only", received: AdminCommandFixture.nine + 600)
        let (status, output, error) = try fixture.search(["--json", "--limit", "2", "請求書"])
        #expect(status == .ok)
        #expect(
            try AdminCommandFixture.objects(output).compactMap { $0["id"] as? Int } == newest.prefix(2).map(Int.init))
        #expect(error.contains("newest 2 matching messages"))
        #expect(try fixture.audit().last?.string("detail")?.contains(#""limited":1"#) == true)
        let all = try fixture.search(["--json", "--limit", "0", "請求書"])
        #expect(try ids(fixture, ["--limit", "0", "請求書"]) == newest.map(Int.init))
        #expect(all.error.isEmpty)
        // Exactly as many matches as the limit: nothing left unchecked, so no note.
        let exact = try fixture.search(["--json", "--limit", "5", "請求書"])
        #expect(try AdminCommandFixture.objects(exact.output).count == 5)
        #expect(exact.error.isEmpty)
        for bad in ["-1", "x", ""] {
            #expect(throws: UsageError.self) { try fixture.search(["--limit", bad, "請求書"]) }
        }
    }

    @Test("the candidate cap counts all mailboxes together, newest first")
    func capAcrossMailboxes() throws {
        let fixture = try AdminCommandFixture()
        var newest: [Int64] = []
        for minute in 0..<6 {
            let filed = try fixture.file(
                subject: "請求書 \(minute)", mailbox: minute % 2 == 0 ? "support" : "sales",
                received: AdminCommandFixture.nine + Int64(minute) * 60)
            newest.insert(filed.inquiryID, at: 0)
        }
        let report = try InquirySearch.run(
            "請求書", mailbox: nil, in: fixture.instance, candidateLimit: 4, actor: AccessActor(actor: AdminCommandFixture.actor))
        #expect(report.candidates == 4)
        #expect(report.truncated)
        #expect(report.inquiries.map(\.id) == Array(newest.prefix(4)))
        #expect(report.terms == 2)
    }

    @Test("the built madoguchi binary searches, lists and exits 64 on an empty query", .blocksThreads)
    func binary() throws {
        let fixture = try AdminCommandFixture()
        let filed = try fixture.file(subject: "請求書の再発行")
        let search = try fixture.runBinary(["search", "--json", "請求書"])
        #expect(search.status == 0, "\(search.error)")
        let objects = try AdminCommandFixture.objects(search.output)
        #expect(objects.map { $0["id"] as? Int } == [Int(filed.inquiryID)])
        let list = try fixture.runBinary(["list", "--json", "--status", "new"])
        #expect(list.status == 0)
        #expect(try AdminCommandFixture.objects(list.output).count == 1)
        #expect(try fixture.runBinary(["search", ""]).status == 64)
        #expect(try fixture.runBinary(["list", "--status", "nope"]).status == 64)
        let actor = try #require(try fixture.audit().first?.string("actor"))
        #expect(actor == AdminActor.current())
    }
}
