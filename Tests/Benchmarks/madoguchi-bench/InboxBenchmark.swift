// InboxBenchmark: `madoguchi-bench inbox DIR [messages] [rounds]` — on the search
// benchmark's corpus (built in DIR when missing), times the inbox reads the web page
// makes per request: the first page, a status page, a mailbox-and-status page, the
// 100th page by cursor, the sidebar counts and one inquiry with its thread (audited).
// Prints p50 and p99 in milliseconds per read.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiStore

enum InboxBenchmark {
    static func run(_ arguments: [String]) throws {
        guard let directory = arguments.first else {
            print("usage: madoguchi-bench inbox directory [messages] [rounds]")
            exit(64)
        }
        let count = arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000
        let rounds = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 200
        let (_, instance) = try SearchBenchmark.corpus(in: directory, messages: count)
        let database = instance.database
        let inquiries = try database.connection.scalar("SELECT count(*) FROM inquiries")?.int64Value ?? 0
        let mailbox = try database.connection.scalar("SELECT min(id) FROM mailboxes")?.int64Value ?? 1
        print("corpus \(inquiries) inquiries")
        // The cursor of the 100th page of 50, found once.
        var cursor: InboxCursor?
        for _ in 0..<99 {
            cursor = try database.read {
                try Inbox.page(InboxFilter(), after: cursor, revealCustomers: true, in: $0).next
            }
        }
        let deep = cursor
        let ids = try database.connection.rows("SELECT id FROM inquiries ORDER BY random() LIMIT \(rounds)")
            .compactMap { $0.int64("id") }
        let actor = AccessActor(actor: "bench", sessionRef: "0000", sourceIP: "127.0.0.1")
        var next = 0
        let reads: [(String, () throws -> Void)] = [
            (
                "inbox first page",
                { _ = try database.read { try Inbox.page(InboxFilter(), revealCustomers: true, in: $0) } }
            ),
            (
                "inbox status=new",
                { _ = try database.read { try Inbox.page(InboxFilter(status: "new"), revealCustomers: true, in: $0) } }
            ),
            (
                "inbox mailbox+status",
                {
                    _ = try database.read {
                        try Inbox.page(
                            InboxFilter(status: "in_progress", mailboxID: mailbox), revealCustomers: true, in: $0)
                    }
                }
            ),
            (
                "inbox page 100",
                { _ = try database.read { try Inbox.page(InboxFilter(), after: deep, revealCustomers: true, in: $0) } }
            ),
            ("sidebar counts", { _ = try database.read { try Inbox.counts(in: $0) } }),
            (
                "inquiry thread",
                {
                    _ = try InquiryView.thread(ids[next % ids.count], revealCustomers: true, actor: actor, in: database)
                    next += 1
                }
            ),
        ]
        let clock = ContinuousClock()
        for (name, read) in reads {
            var times: [Double] = []
            for _ in 0..<rounds {
                let start = clock.now
                try read()
                let elapsed = clock.now - start
                times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            }
            times.sort()
            let p50 = times[times.count / 2]
            let p99 = times[min(times.count - 1, times.count * 99 / 100)]
            print(
                "\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) p50 \(String(format: "%.2f", p50)) ms  p99 \(String(format: "%.2f", p99)) ms"
            )
        }
    }
}
