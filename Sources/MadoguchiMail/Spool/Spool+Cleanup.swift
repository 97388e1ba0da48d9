// Spool+Cleanup: removes partial files a killed writer left in `tmp/`. A file there
// never counts (only a link or rename into incoming/ makes a message), so removing old
// ones loses nothing; the age margin keeps a concurrent writer's file safe. A name with
// a second link is a writer killed between link(2) and unlink(2): its content is
// already complete in incoming/, so that name goes at once, whatever its age.
// A younger partial file is also safe by the writer's process id in its name.

import Glibc
import MadoguchiCore

extension Spool {
    /// Removes files in `tmp/` last modified more than `age` seconds before `now`, and
    /// any that are also linked into `incoming/`.
    /// Files this user may not remove are left alone.
    /// - Returns: how many files were removed.
    /// - Throws: `SystemError` when `tmp/` cannot be listed.
    @discardableResult
    public func removeStaleTemporaryFiles(olderThan age: Int64, now: Int64) throws -> Int {
        var removed = 0
        for name in try DirectoryListing.names(in: temporaryDirectory) {
            let path = temporaryDirectory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                Int64(info.st_mtim.tv_sec) < now - age || info.st_nlink > 1
            else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }

    /// Removes files in `tmp/` named by DurableFile (`.tmp.<pid>.<random>`) for a
    /// process that no longer exists: the partial files of a writer that was killed
    /// while others wrote beside it (the fetcher's spool writer threads). A live
    /// process's file, or one that reuses a dead writer's id, is left alone.
    /// - Returns: how many files were removed.
    /// - Throws: `SystemError` when `tmp/` cannot be listed.
    @discardableResult
    public func removeOrphanedTemporaryFiles() throws -> Int {
        var removed = 0
        for name in try DirectoryListing.names(in: temporaryDirectory) {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0].isEmpty, parts[1] == "tmp", let pid = pid_t(parts[2]), pid > 0,
                pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            let path = temporaryDirectory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }
}
