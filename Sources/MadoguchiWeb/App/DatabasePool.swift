// DatabasePool: a fixed set of open instance connections for the connection threads.
// A SQLite connection (and the Database around it) is used by one thread at a time;
// each request borrows one for its duration and gives it back. With WAL, readers of
// different connections do not wait for each other; writers take turns in SQLite.

import Dispatch
import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiStore

/// Open connections, lent to one request at a time.
///
/// `@unchecked Sendable`: the idle list is read and written only while holding `lock`,
/// and a connection is only ever in one thread's hands (taken from the list, given
/// back after use).
final class DatabasePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [InstanceDatabase]
    private let available: DispatchSemaphore
    /// How many connections the pool holds.
    let size: Int

    /// Opens `size` connections whose writers queue on `writeGate` and whose grouped
    /// writes (audit entries of reads) on `commitGroup`, both shared by every pool of
    /// the process.
    /// - Throws: what `InstanceDatabase.open` throws.
    init(configuration: Configuration, size: Int, writeGate gate: WriteGate, commitGroup: CommitGroup) throws {
        var connections: [InstanceDatabase] = []
        for _ in 0..<max(1, size) {
            let instance = try InstanceDatabase.open(configuration: configuration)
            instance.database.writeGate = gate
            instance.database.commitGroup = commitGroup
            // Every audited view commits a few WAL pages; at SQLite's default (a checkpoint
            // per 1,000 pages) about one commit a second also copied the log and synced
            // the file while 31 requests waited (inquiry p99 492 ms in web.sh, 40 ms with
            // this). The log grows to about 40 MB before a checkpoint; other programs keep
            // the default.
            try instance.database.connection.execute("PRAGMA wal_autocheckpoint=10000")
            connections.append(instance)
        }
        available = DispatchSemaphore(value: connections.count)
        self.size = connections.count
        idle = connections
    }

    /// Runs `body` with a connection of its own, waiting for one if all are lent.
    func with<T>(_ body: (InstanceDatabase) throws -> T) rethrows -> T {
        available.wait()
        let instance = lock.withLock { idle.removeLast() }
        defer {
            lock.withLock { idle.append(instance) }
            available.signal()
        }
        return try body(instance)
    }
}
