// SpoolAttempts: how often scan-and-file began to parse a spool file without
// finishing — one small file per spool file in `spool_directory/attempts/`, written
// before the parse and removed after it, outside any database transaction. A count left
// behind means the program died while parsing that file; after `limit` such deaths the
// file goes to `hold/`, so one poison message cannot halt intake.
// The counts survive a killed process (the page cache), not a power loss: no fsync,
// since a lost count only means one more attempt.

import Glibc
import MadoguchiCore

/// Unfinished parse attempts per spool file.
public struct SpoolAttempts: Sendable {
    /// Deaths while parsing after which a file is held.
    public static let limit = 3

    /// The directory of the count files.
    public let directory: String

    /// The attempts of `spool` (`spool_directory/attempts`).
    public init(spool: Spool) {
        directory = spool.directory + "/attempts"
    }

    /// Creates the directory if missing.
    /// - Throws: `SystemError`.
    public func create() throws {
        if mkdir(directory, 0o700) != 0 && errno != EEXIST { throw SystemError.current("mkdir \(directory)") }
    }

    /// Unfinished attempts recorded for `name` (0 when none or unreadable).
    public func count(_ name: String) -> Int {
        guard let bytes = try? DurableFile.read(directory + "/" + name, limit: 32) else { return 0 }
        return Int(String(decoding: bytes, as: UTF8.self)) ?? 0
    }

    /// Records one more attempt for `name` before it is parsed.
    /// - Returns: the attempts now recorded.
    /// - Throws: `SystemError` (the caller parses anyway: the count is a safeguard).
    @discardableResult
    public func begin(_ name: String) throws -> Int {
        let next = count(name) + 1
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        defer { close(fd) }
        try FileDescriptorWriter.writeAllOrThrow(fd, Array(String(next).utf8), context: "write \(path)")
        return next
    }

    /// Forgets the attempts of `name` (parsed, or held).
    public func finish(_ name: String) {
        unlink(directory + "/" + name)
    }

    /// Removes the counts of files no longer in the spool.
    /// - Parameter pending: the spool files still waiting.
    public func prune(keeping pending: Set<String>) {
        guard let names = try? DirectoryListing.names(in: directory) else { return }
        for name in names where name.hasSuffix(".sealed") && !pending.contains(name) { finish(name) }
    }
}
