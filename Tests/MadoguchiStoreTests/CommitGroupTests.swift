// CommitGroup: writes queued while a transaction runs are committed together in the
// next one; each caller returns only after the commit holding its write; a write that
// throws is rolled back alone and only its caller sees the error.

import Foundation
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct CommitGroupTests {
    struct Failure: Error {}

    /// `count` connections to one database sharing a gate and a group.
    static func connections(_ temporary: TemporaryDatabase, _ count: Int, group: CommitGroup) throws -> [Database] {
        let gate = WriteGate()
        return try (0..<count).map { _ in
            let database = try temporary.open()
            database.writeGate = gate
            database.commitGroup = group
            return database
        }
    }

    static func insert(_ name: String) -> (DatabaseTransaction) throws -> Void {
        { tx in try tx.run("INSERT INTO settings (name, value, updated_at) VALUES (?, 'x', 0)", [.text(name)]) }
    }

    @Test(
        "writes queued behind a running batch share the next transaction, each committed before it returns",
        .timeLimit(.minutes(1)))
    func batches() throws {
        let temporary = try TemporaryDatabase()
        let group = CommitGroup()
        nonisolated(unsafe) let databases = try Self.connections(temporary, 7, group: group)
        let path = temporary.path
        let release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let lock = NSLock()
        nonisolated(unsafe) var committedOnReturn: [Bool] = []
        nonisolated(unsafe) var failures = 0
        func start(_ index: Int, _ body: @escaping (DatabaseTransaction) throws -> Void) {
            nonisolated(unsafe) let body = body
            done.enter()
            Thread {
                do {
                    try databases[index].writeGrouped(body)
                    // Visible to another connection: committed, not only written.
                    let rows = try Connection(path: path).rows(
                        "SELECT name FROM settings WHERE name = ?", [.text("w\(index)")])
                    lock.withLock { committedOnReturn.append(rows.count == 1) }
                } catch {
                    lock.withLock { failures += 1 }
                }
                done.leave()
            }.start()
        }
        // The first write holds its transaction open until the six others are queued.
        let started = DispatchSemaphore(value: 0)
        start(0) { tx in
            try Self.insert("w0")(tx)
            started.signal()
            release.wait()
        }
        #expect(started.wait(timeout: .now() + 20) == .success)
        let deadline = Date().addingTimeInterval(20)
        for index in 1..<7 { start(index, Self.insert("w\(index)")) }
        while group.queued < 6 && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        release.signal()
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(failures == 0 && committedOnReturn == Array(repeating: true, count: 7))
        #expect(group.transactions == 2)
        #expect(try temporary.connection().rows("SELECT name FROM settings WHERE name LIKE 'w%'").count == 7)
    }

    @Test("a write that throws is rolled back alone; the others of its batch commit", .timeLimit(.minutes(1)))
    func failureStaysWithItsCaller() throws {
        let temporary = try TemporaryDatabase()
        let group = CommitGroup()
        nonisolated(unsafe) let databases = try Self.connections(temporary, 4, group: group)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let lock = NSLock()
        nonisolated(unsafe) var outcomes: [String: Bool] = [:]
        func start(_ index: Int, _ name: String, _ body: @escaping (DatabaseTransaction) throws -> Void) {
            nonisolated(unsafe) let body = body
            done.enter()
            Thread {
                let ok = (try? databases[index].writeGrouped(body)) != nil
                lock.withLock { outcomes[name] = ok }
                done.leave()
            }.start()
        }
        let started = DispatchSemaphore(value: 0)
        start(0, "first") { tx in
            try Self.insert("first")(tx)
            started.signal()
            release.wait()
        }
        #expect(started.wait(timeout: .now() + 20) == .success)
        let deadline = Date().addingTimeInterval(20)
        start(1, "before", Self.insert("before"))
        while group.queued < 1 && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        start(2, "bad") { tx in
            try Self.insert("bad")(tx)
            throw Failure()
        }
        while group.queued < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        start(3, "after", Self.insert("after"))
        while group.queued < 3 && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        release.signal()
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(outcomes == ["first": true, "before": true, "bad": false, "after": true])
        let names = try temporary.connection().rows("SELECT name FROM settings ORDER BY name").compactMap {
            $0.string("name")
        }
        #expect(names == ["after", "before", "first"])
        #expect(group.transactions == 2)
    }

    @Test("without a group a grouped write is a transaction of its own")
    func withoutGroup() throws {
        let temporary = try TemporaryDatabase()
        let database = try temporary.open()
        try database.writeGrouped(Self.insert("alone"))
        #expect(throws: Failure.self) {
            try database.writeGrouped { tx in
                try Self.insert("rolled-back")(tx)
                throw Failure()
            }
        }
        #expect(try database.connection.rows("SELECT name FROM settings").compactMap { $0.string("name") } == ["alone"])
    }
}
