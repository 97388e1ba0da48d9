// WALCheckpointer: copies the write-ahead log into the database file from a thread of
// its own, once a second (a PASSIVE checkpoint: it never waits for, nor blocks, a
// reader or a writer). The page's connections have SQLite's automatic checkpoint
// turned off, so no request's commit is the one that happens to pay for copying the
// log and syncing the file — that made one inquiry view in a hundred wait half a
// second under load (Tests/Benchmarks/web.sh). Other programs keep the automatic one.

import Foundation
import MadoguchiCore
import MadoguchiInbox

/// The background checkpoint of madoguchi-web.
enum WALCheckpointer {
    /// Starts the thread; it runs for the life of the process.
    /// - Parameters:
    ///   - configuration: the instance (its own connection is opened in the thread).
    ///   - interval: seconds between checkpoints.
    ///   - log: where a failing checkpoint is reported (the next one retries).
    static func start(configuration: Configuration, interval: Double = 1, log: Log) {
        let thread = Thread {
            var instance: InstanceDatabase?
            while true {
                Thread.sleep(forTimeInterval: interval)
                do {
                    if instance == nil { instance = try InstanceDatabase.open(configuration: configuration) }
                    _ = try instance?.database.connection.rows("PRAGMA wal_checkpoint(PASSIVE)")
                } catch {
                    log.warning("WAL checkpoint: \(error)")
                    instance = nil
                }
            }
        }
        thread.name = "wal-checkpoint"
        thread.start()
    }
}
