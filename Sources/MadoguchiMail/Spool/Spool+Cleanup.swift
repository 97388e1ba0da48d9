// Spool+Cleanup: removes partial files a killed writer left in `tmp/`. A file there
// never counts (only a link or rename into incoming/ makes a message), so removing old
// ones loses nothing; the age margin keeps a concurrent writer's file safe. A name with
// a second link is a writer killed between link(2) and unlink(2): its content is
// already complete in incoming/, so that name goes at once, whatever its age.

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
        guard let dir = opendir(temporaryDirectory) else { throw SystemError.current("opendir \(temporaryDirectory)") }
        defer { closedir(dir) }
        var removed = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            let path = temporaryDirectory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                Int64(info.st_mtim.tv_sec) < now - age || info.st_nlink > 1
            else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }
}
