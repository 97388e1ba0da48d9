// SearchBenchmark: `madoguchi-bench search DIR [messages] [rounds] [limit]` — builds (once) an instance
// with that many filed messages (sealed rows + SearchIndex.add, 1,000 per transaction),
// then times 50 Japanese substring queries through InquirySearch.run (index, decrypt
// confirmation, grouping, audit entry; `limit` is the result limit, default the CLI's,
// 0 for none) and reports median/p95 latency, candidates
// decrypted per query and the database size per message with and without the index;
// then the web page's search (InquirySearch.page, the first page of 50) per query, with
// a check that it shows what confirming every candidate first showed (exit 1 if not).

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiStore

enum SearchBenchmark {
    /// 50 queries of 2–6 characters: common, medium (products, companies), rare, absent.
    static let queries = [
        // common (fixed phrases and top-ranked nouns)
        "お願い", "お世話", "請求書", "注文", "確認", "発送", "ご連絡", "返品", "パスワード", "ログイン",
        // medium (mid-ranked nouns, products, companies)
        "宛名", "キャンセル", "見積書", "加湿器", "炊飯器", "空気清浄機", "電気ケトル", "イヤホン", "サンプル商事", "みどり企画",
        "取扱説明書", "有効期限", "交換品", "再配達", "追跡番号", "シリアル", "互換性", "二段階認証", "配信停止", "検収書",
        // rare
        "輸入代行", "蛍光ペン", "ジャイロ", "オーロラ便", "防水加工", "初期不良交換", "法人割引", "分割払い", "保証書紛失", "二重請求",
        "海外発送", "ギフト包装",
        // absent
        "量子計算", "宇宙旅行", "恐竜", "潜水艦", "蒸気機関車", "半導体", "火山", "温泉旅館",
    ]

    /// The instance in `directory`, made with `messages` filed messages when missing.
    static func corpus(in directory: String, messages count: Int) throws -> (Configuration, InstanceDatabase) {
        let layout = InstanceLayout(root: directory, workingDirectory: FileManager.default.currentDirectoryPath)
        if access(layout.configurationFile, F_OK) != 0 {
            try InstanceInitializer.create(layout)
            let configuration = try Configuration.load(path: layout.configurationFile)
            try generate(count, into: try InstanceDatabase.open(configuration: configuration))
        }
        let configuration = try Configuration.load(path: layout.configurationFile)
        return (configuration, try InstanceDatabase.open(configuration: configuration))
    }

    static func run(_ arguments: [String]) throws {
        guard let directory = arguments.first else {
            print("usage: madoguchi-bench search directory [messages] [rounds] [limit]")
            exit(64)
        }
        let count = arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000
        let rounds = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 3
        let resultLimit = arguments.dropFirst(3).first.flatMap { Int($0) } ?? InquirySearch.defaultResultLimit
        let (configuration, instance) = try corpus(in: directory, messages: count)
        let filed = try instance.database.connection.scalar("SELECT count(*) FROM messages")?.int64Value ?? 0
        print("corpus \(filed) messages in \(directory)")
        let limit = Int(configuration[.searchCandidateLimit])
        try measure(instance, candidateLimit: limit, resultLimit: resultLimit > 0 ? resultLimit : nil, rounds: rounds)
        try measurePages(instance, candidateLimit: limit, rounds: rounds)
        try sizes(instance, messages: Int(filed))
    }

    // MARK: Corpus

    static func generate(_ count: Int, into instance: InstanceDatabase) throws {
        var corpus = SearchCorpus(seed: 20_261_129)
        let index = SearchIndex(keys: instance.keys)
        let start = Date()
        var customers: [Int: Int64] = [:]
        var recent: [[(inquiry: Int64, customer: Int64)]] = [[], []]
        var mailboxes: [Int64] = []
        let base: Int64 = 1_780_000_000
        var next = 0
        while next < count {
            let batchEnd = min(count, next + 1_000)
            try instance.database.write { tx in
                if mailboxes.isEmpty {
                    for name in ["support", "sales"] {
                        var values = RowValues()
                        values.set("name", .text(name))
                        values.set("created_at", .integer(base))
                        values.set("updated_at", .integer(base))
                        mailboxes.append(try tx.insert(into: "mailboxes", values))
                    }
                }
                for number in next..<batchEnd {
                    let received = base + Int64(number) * 150
                    let box = corpus.random.chance(0.7) ? 0 : 1
                    let subject = corpus.subject()
                    let body = corpus.body()
                    let inquiryID: Int64
                    let customerID: Int64
                    if !recent[box].isEmpty, corpus.random.chance(0.2) {
                        let thread = corpus.random.pick(recent[box])
                        inquiryID = thread.inquiry
                        customerID = thread.customer
                        try tx.run(
                            "UPDATE inquiries SET last_message_at = ?, updated_at = ? WHERE id = ?",
                            [.integer(received), .integer(received), .integer(inquiryID)])
                    } else {
                        let key = corpus.random.below(20_000)
                        if let known = customers[key] {
                            customerID = known
                        } else {
                            var customer = RowValues()
                            customer.set("address_index", .blob(try SecureRandom.bytes(32)))
                            customer.seal("address_enc", "customer\(key)@example.jp")
                            customer.seal("name_enc", "顧客 \(key)")
                            customer.set("pseudonym", .text("C-\(100_000 + key)"))
                            customer.set("created_at", .integer(received))
                            customerID = try tx.insert(into: "customers", customer)
                            customers[key] = customerID
                        }
                        var inquiry = RowValues()
                        inquiry.set("mailbox_id", .integer(mailboxes[box]))
                        inquiry.set("customer_id", .integer(customerID))
                        inquiry.set("status", .text(corpus.random.pick(InquirySummary.statuses.dropLast())))
                        inquiry.seal("subject_enc", subject)
                        inquiry.set("created_at", .integer(received))
                        inquiry.set("updated_at", .integer(received))
                        inquiry.set("last_message_at", .integer(received))
                        inquiryID = try tx.insert(into: "inquiries", inquiry)
                        recent[box].append((inquiryID, customerID))
                        if recent[box].count > 500 { recent[box].removeFirst(100) }
                    }
                    let headers =
                        "From: customer@example.jp\r\nTo: \(box == 0 ? "support" : "sales")@example.com\r\n"
                        + "Subject: \(subject)\r\nMessage-ID: <\(number)@example.jp>\r\n"
                        + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n"
                    var message = RowValues()
                    message.set("inquiry_id", .integer(inquiryID))
                    message.set("mailbox_id", .integer(mailboxes[box]))
                    message.set("intake_id", .text("bench:\(number)"))
                    message.set("direction", "in")
                    message.set("received_at", .integer(received))
                    message.set("size", .int(headers.utf8.count + body.utf8.count + 2))
                    message.set("message_id_index", .blob(try SecureRandom.bytes(32)))
                    message.seal("subject_enc", subject)
                    message.seal("from_name_enc", "顧客")
                    message.seal("from_addr_enc", "customer@example.jp")
                    message.seal("to_enc", #"[{"address":"support@example.com"}]"#)
                    message.seal("headers_enc", headers)
                    message.seal("text_body_enc", body)
                    message.seal("raw_enc", headers + "\r\n" + body)
                    let messageID = try tx.insert(into: "messages", message)
                    try index.add(
                        messageID: messageID, mailboxID: mailboxes[box], subject: subject, body: body, in: tx)
                }
            }
            next = batchEnd
            if next % 10_000 == 0 || next == count {
                let elapsed = Date().timeIntervalSince(start)
                print("generated \(next) messages in \(format(elapsed)) s (\(format(Double(next) / elapsed)) msg/s)")
            }
        }
        try instance.database.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    // MARK: Measuring

    struct QueryResult {
        var query: String
        var milliseconds: Double
        /// CPU time of this thread: the machine is shared, so wall time alone is noisy.
        var cpuMilliseconds: Double
        var report: InquirySearch.Report
    }

    static func cpuNow() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1e3 + Double(spec.tv_nsec) / 1e6
    }

    static func measure(_ instance: InstanceDatabase, candidateLimit: Int, resultLimit: Int?, rounds: Int) throws {
        func once(_ query: String) throws -> QueryResult {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpu = cpuNow()
            let report = try InquirySearch.run(
                query, mailbox: nil, in: instance, candidateLimit: candidateLimit, resultLimit: resultLimit,
                actor: AccessActor(actor: "cli:bench"))
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            return QueryResult(query: query, milliseconds: elapsed, cpuMilliseconds: cpuNow() - cpu, report: report)
        }
        for query in queries { _ = try once(query) }  // warm the page cache and the tokenizers
        var results: [QueryResult] = []
        for query in queries {
            var runs: [QueryResult] = []
            for _ in 0..<max(1, rounds) { runs.append(try once(query)) }
            runs.sort { $0.milliseconds < $1.milliseconds }
            results.append(runs[runs.count / 2])
        }
        print("")
        print(
            pad("query", 14) + pad("chars", 6) + pad("candidates", 11) + pad("messages", 9) + pad("inquiries", 10)
                + pad("cap", 4) + pad("limit", 6) + pad("ms", 8) + "cpu ms")
        for result in results {
            print(
                pad(result.query, 14) + pad(String(result.query.count), 6) + pad(String(result.report.candidates), 11)
                    + pad(String(result.report.messages), 9) + pad(String(result.report.inquiries.count), 10)
                    + pad(result.report.truncated ? "yes" : "", 4) + pad(result.report.limited ? "yes" : "", 6)
                    + pad(format(result.milliseconds), 8)
                    + format(result.cpuMilliseconds))
        }
        let times = results.map(\.milliseconds).sorted()
        let candidates = results.map(\.report.candidates).sorted()
        let p95 = times[min(times.count - 1, Int((Double(times.count) * 0.95).rounded(.up)) - 1)]
        print("")
        print(
            "search_queries \(results.count) (median of \(rounds) runs each, candidate limit \(candidateLimit),"
                + " result limit \(resultLimit.map(String.init) ?? "none"))")
        print("search_latency_median \(format(times[times.count / 2])) ms")
        print("search_latency_p95 \(format(p95)) ms (target < 50 ms)")
        print("search_latency_max \(format(times.last ?? 0)) ms")
        let cpu = results.map(\.cpuMilliseconds).sorted()
        let cpu95 = cpu[min(cpu.count - 1, Int((Double(cpu.count) * 0.95).rounded(.up)) - 1)]
        print("search_cpu_median \(format(cpu[cpu.count / 2])) ms, p95 \(format(cpu95)) ms (CPU time of the query)")
        print(
            "search_candidates_per_query median \(candidates[candidates.count / 2]) mean "
                + "\(candidates.reduce(0, +) / candidates.count) max \(candidates.last ?? 0)")
    }

    /// The web page's search: the first inbox page of each query through `InquirySearch.page`
    /// (50 inquiries, no memory map, as madoguchi-web runs it), checked against the page
    /// over the inquiries of every confirmed candidate (what the page showed before it
    /// confirmed lazily).
    static func measurePages(_ instance: InstanceDatabase, candidateLimit: Int, rounds: Int) throws {
        let actor = AccessActor(actor: "cli:bench")
        func page(_ query: String) throws -> (InquirySearch.Page, milliseconds: Double, cpu: Double) {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpu = cpuNow()
            let page = try InquirySearch.page(
                query, filter: InboxFilter(), revealCustomers: true, in: instance, candidateLimit: candidateLimit,
                actor: actor, mapDatabase: false)
            return (page, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, cpuNow() - cpu)
        }
        func eager(_ query: String) throws -> [Int64] {
            let report = try InquirySearch.run(
                query, mailbox: nil, in: instance, candidateLimit: candidateLimit, actor: actor, mapDatabase: false)
            let filter = InboxFilter(inquiryIDs: report.inquiries.map(\.id))
            return try instance.database.read { try Inbox.page(filter, revealCustomers: true, in: $0) }.entries.map(
                \.id)
        }
        for query in queries { _ = try page(query) }
        var rows: [(query: String, page: InquirySearch.Page, milliseconds: Double, cpu: Double, same: Bool)] = []
        for query in queries {
            var runs: [(InquirySearch.Page, milliseconds: Double, cpu: Double)] = []
            for _ in 0..<max(1, rounds) { runs.append(try page(query)) }
            runs.sort { $0.milliseconds < $1.milliseconds }
            let median = runs[runs.count / 2]
            rows.append(
                (query, median.0, median.milliseconds, median.cpu, try eager(query) == median.0.entries.map(\.id)))
        }
        print("")
        print(
            pad("page query", 14) + pad("decrypted", 10) + pad("confirmed", 10) + pad("shown", 6) + pad("cap", 4)
                + pad("same", 5) + pad("ms", 8) + "cpu ms")
        for row in rows {
            print(
                pad(row.query, 14) + pad(String(row.page.candidates), 10) + pad(String(row.page.messages), 10)
                    + pad(String(row.page.entries.count), 6) + pad(row.page.truncated ? "yes" : "", 4)
                    + pad(row.same ? "yes" : "NO", 5) + pad(format(row.milliseconds), 8) + format(row.cpu))
        }
        let times = rows.map(\.milliseconds).sorted()
        let cpu = rows.map(\.cpu).sorted()
        let p95 = { (values: [Double]) in
            values[min(values.count - 1, Int((Double(values.count) * 0.95).rounded(.up)) - 1)]
        }
        print("")
        print("page_queries \(rows.count) (first page of 50, median of \(rounds) runs each, no memory map)")
        print("page_latency_median \(format(times[times.count / 2])) ms, p95 \(format(p95(times))) ms")
        print("page_cpu_median \(format(cpu[cpu.count / 2])) ms, p95 \(format(p95(cpu))) ms")
        let same = rows.filter(\.same).count
        print("page_same_as_confirming_every_candidate \(same) of \(rows.count)")
        if same != rows.count {
            print("error: a search page differs from the page over every confirmed candidate")
            exit(1)
        }
    }

    static func sizes(_ instance: InstanceDatabase, messages: Int) throws {
        let connection = instance.database.connection
        try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let pageSize = try connection.scalar("PRAGMA page_size")?.int64Value ?? 4096
        let pages = try connection.scalar("PRAGMA page_count")?.int64Value ?? 0
        let total = pageSize * pages
        let index =
            try connection.scalar("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'message_search%'")?.int64Value ?? 0
        let perMessage = Double(total) / Double(max(1, messages))
        let withoutIndex = Double(total - index) / Double(max(1, messages))
        print("")
        print("database_bytes \(total) (\(format(Double(total) / 1e6)) MB), index \(format(Double(index) / 1e6)) MB")
        print("bytes_per_message_with_index \(format(perMessage))")
        print("bytes_per_message_without_index \(format(withoutIndex))")
        print("index_bytes_per_message \(format(Double(index) / Double(max(1, messages))))")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        var columns = 0
        for scalar in text.unicodeScalars { columns += scalar.value >= 0x1100 ? 2 : 1 }
        return text + String(repeating: " ", count: max(1, width - columns))
    }

    static func format(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}
