// Store throughput: filing sample inquiries (one fsync'ed transaction each, 5 tables,
// 14 sealed fields) and reading them back decrypted. Runs only with MADOGUCHI_BENCHMARK=1.

import Foundation
import MadoguchiCore
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.enabled(if: ProcessInfo.processInfo.environment["MADOGUCHI_BENCHMARK"] == "1"))
struct StoreBenchmarkTests {
    @Test("filing and reading sample inquiries")
    func fileAndRead() throws {
        let count = Int(ProcessInfo.processInfo.environment["MADOGUCHI_BENCHMARK_COUNT"] ?? "") ?? 500
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        var ids: [Int64] = []
        let start = Monotonic.now()
        for index in 0..<count {
            ids.append(try database.fileSample(intakeID: "intake-\(index)").messageID)
        }
        let filed = Monotonic.now() - start
        let readStart = Monotonic.now()
        var bytes = 0
        try database.read { tx in
            for id in ids {
                let row = try tx.fetch("messages", id: id, columns: ["subject_enc", "text_body_enc", "raw_enc"])
                bytes += row?.blob("raw_enc")?.count ?? 0
            }
        }
        let read = Monotonic.now() - readStart
        #expect(bytes > 0)
        let size = (try FileManager.default.attributesOfItem(atPath: temp.path)[.size] as? Int) ?? 0
        print(
            "store benchmark: filed \(count) inquiries in \(String(format: "%.2f", filed)) s "
                + "(\(String(format: "%.1f", Double(count) / filed))/s, one transaction each); "
                + "read \(count) messages (3 sealed fields) in \(String(format: "%.3f", read)) s "
                + "(\(String(format: "%.0f", Double(count) / read))/s); db file \(size / 1024) KiB before checkpoint")
    }
}
