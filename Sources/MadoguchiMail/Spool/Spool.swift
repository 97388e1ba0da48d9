// Spool: the sealed hand-off between fetch-forwarded-mail and scan-and-file.
// A message counts only once it is complete: written to tmp/, fsync'ed, renamed
// into incoming/, directory fsync'ed (Maildir's rule). Files are sealed to the spool
// public key, so the fetcher can write but never read them.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto

/// The spool directory: `tmp/`, `incoming/` and `hold/` (files that cannot be opened).
public struct Spool: Sendable {
    /// The spool root (`spool_directory`).
    public let directory: String

    /// Magic line in front of every sealed record.
    static let magic = Array("madoguchi-spool-v1\n".utf8)

    /// Creates a spool handle.
    public init(directory: String) { self.directory = directory }

    /// Where partial files are written.
    public var temporaryDirectory: String { directory + "/tmp" }
    /// Where complete files wait for scan-and-file.
    public var incomingDirectory: String { directory + "/incoming" }
    /// Where files that cannot be opened are set aside for an administrator.
    public var holdDirectory: String { directory + "/hold" }

    /// Creates the spool directories if missing.
    /// - Throws: `SystemError`.
    public func create(mode: mode_t = 0o700) throws {
        for path in [directory, temporaryDirectory, incomingDirectory, holdDirectory] {
            if mkdir(path, mode) != 0 && errno != EEXIST { throw SystemError.current("mkdir \(path)") }
        }
    }

    /// The file name a message gets: derived from its intake id, so the same message
    /// spooled twice lands on the same name, and nothing about it is readable.
    public static func fileName(for envelope: SpoolEnvelope) -> String {
        String(Hex.encode(SHA256Hasher.hash(Array(envelope.intakeID.utf8))).prefix(40)) + ".sealed"
    }

    /// Seals and durably stores a message.
    /// - Parameters:
    ///   - raw: the message bytes as fetched.
    ///   - envelope: its metadata.
    ///   - order: the order stamp (`Spool.nextOrder()`), taken by a caller that writes
    ///     from several threads when it took the message; nil stamps it now.
    ///   - seal: encrypts the record to the spool public key.
    ///   - syncDirectory: fsync `incoming/` after the rename. The fetcher passes false and
    ///     calls `syncIncoming()` once per batch, before it records or deletes anything:
    ///     the file's content is fsync'ed either way.
    /// - Returns: the file name, and whether it was already in `incoming/`.
    /// - Throws: `SystemError`, `CryptoError`.
    @discardableResult
    public func deliver(
        _ raw: [UInt8], envelope: SpoolEnvelope, syncDirectory: Bool = true, order: timespec? = nil,
        seal: ([UInt8]) throws -> [UInt8]
    ) throws -> (name: String, alreadyPresent: Bool) {
        let name = Spool.fileName(for: envelope)
        let target = incomingDirectory + "/" + name
        if access(target, F_OK) == 0 { return (name, true) }
        var record = Spool.magic
        record.append(contentsOf: envelope.json)
        record.append(0x0A)
        record.append(contentsOf: raw)
        let sealed = try seal(record)
        SecretKey.cleanse(&record)
        CrashPoint.reach("before-rename")
        do {
            try DurableFile.write(
                sealed, to: target, temporaryDirectory: temporaryDirectory, mode: 0o640, syncDirectory: syncDirectory,
                modified: order ?? SpoolSequence.next())
        } catch let error as SystemError where error.code == EEXIST {
            return (name, true)
        }
        CrashPoint.reach("after-rename")
        return (name, false)
    }

    /// The next order stamp for `deliver(_:envelope:syncDirectory:order:seal:)`: files
    /// are filed in the order of their stamps (SpoolSequence).
    public static func nextOrder() -> timespec {
        SpoolSequence.next()
    }

    /// Makes the names of files delivered with `syncDirectory: false` durable.
    /// - Throws: `SystemError`.
    public func syncIncoming() throws {
        try DurableFile.syncDirectory(incomingDirectory)
    }

    /// The complete files waiting in `incoming/`, oldest first.
    /// - Throws: `SystemError`.
    public func pending() throws -> [String] {
        var entries: [(Int, Int, String)] = []
        for name in try DirectoryListing.names(in: incomingDirectory) where name.hasSuffix(".sealed") {
            var info = stat()
            // lstat: the name's own time; a symbolic link is not followed (it is held later).
            let known = lstat(incomingDirectory + "/" + name, &info) == 0
            entries.append((known ? info.st_mtim.tv_sec : 0, known ? info.st_mtim.tv_nsec : 0, name))
        }
        // The writers' order stamps (SpoolSequence), to the nanosecond; then the name.
        return entries.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map(\.2)
    }

    /// Room for the format line, the envelope (JSON) and the seal around a message.
    public static let sealedOverhead = 64 * 1024

    /// The largest sealed file a message of at most `messageLimit` bytes gives.
    public static func sealedSizeLimit(messageLimit: Int) -> Int {
        messageLimit > Int.max - sealedOverhead ? Int.max : messageLimit + sealedOverhead
    }

    /// Opens one spool file. Anyone who can write `incoming/` can put anything there, so
    /// the name is checked before a byte is read: it must be a regular file (not a
    /// FIFO, which would block, nor a symbolic link, a directory or a device) of at most
    /// `limit` bytes.
    /// - Parameters:
    ///   - name: the file name in `incoming/`.
    ///   - open: decrypts with the spool private key.
    ///   - limit: the largest sealed file read (`sealedSizeLimit(messageLimit:)`).
    /// - Returns: the envelope and the raw message.
    /// - Throws: `SpoolError.notRegularFile` or `.tooLarge` (nothing read), `.unreadable`
    ///   for a damaged or foreign file, `SystemError` for I/O.
    public func read(_ name: String, limit: Int, open: ([UInt8]) throws -> [UInt8]) throws -> (SpoolEnvelope, [UInt8]) {
        let sealed = try readSealed(name, limit: limit)
        guard let record = try? open(sealed), record.count > Spool.magic.count,
            Array(record[0..<Spool.magic.count]) == Spool.magic,
            let newline = record[Spool.magic.count...].firstIndex(of: 0x0A),
            let envelope = try? JSONDecoder().decode(
                SpoolEnvelope.self, from: Data(record[Spool.magic.count..<newline]))
        else { throw SpoolError.unreadable(name: name) }
        return (envelope, Array(record[(newline + 1)...]))
    }

    /// Reads a sealed file: `lstat` on the name, then `open` with `O_NOFOLLOW | O_NONBLOCK`
    /// (a symbolic link fails, a FIFO swapped in meanwhile does not block) and `fstat` on
    /// the descriptor, which must be the regular file the name showed and within `limit`.
    /// - Throws: `SpoolError.notRegularFile`, `.tooLarge`, `SystemError`.
    private func readSealed(_ name: String, limit: Int) throws -> [UInt8] {
        let path = incomingDirectory + "/" + name
        var named = stat()
        guard lstat(path, &named) == 0 else { throw SystemError.current("stat \(path)") }
        guard (named.st_mode & S_IFMT) == S_IFREG else {
            throw SpoolError.notRegularFile(name: name, kind: Spool.kind(of: named.st_mode))
        }
        guard Int(named.st_size) <= limit else {
            throw SpoolError.tooLarge(name: name, size: Int(named.st_size), limit: limit)
        }
        let fd = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ELOOP { throw SpoolError.notRegularFile(name: name, kind: "symbolic link") }
            throw SystemError.current("open \(path)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError.current("stat \(path)") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SpoolError.notRegularFile(name: name, kind: Spool.kind(of: info.st_mode))
        }
        guard Int(info.st_size) <= limit else {
            throw SpoolError.tooLarge(name: name, size: Int(info.st_size), limit: limit)
        }
        do {
            return try DurableFile.readAll(fd, expected: Int(info.st_size), limit: limit, context: "read \(path)")
        } catch let error as SystemError where error.code == EFBIG {
            // It grew after the fstat: still no more than `limit` bytes are read.
            throw SpoolError.tooLarge(name: name, size: limit + 1, limit: limit)
        }
    }

    /// What a file type is called in a log line.
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "FIFO"
        case S_IFLNK: "symbolic link"
        case S_IFDIR: "directory"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFSOCK: "socket"
        default: "file of unknown type"
        }
    }

    /// Removes a file once its message is committed (or was already filed).
    /// - Throws: `SystemError`.
    public func remove(_ name: String) throws {
        let path = incomingDirectory + "/" + name
        guard unlink(path) == 0 || errno == ENOENT else { throw SystemError.current("unlink \(path)") }
        try DurableFile.syncDirectory(incomingDirectory)
    }

    /// Moves a file that cannot be opened (or is not a regular file of a sane size) to
    /// `hold/` so it stops blocking the queue; a symbolic link is moved, not followed.
    /// - Throws: `SystemError`.
    public func hold(_ name: String) throws {
        let from = incomingDirectory + "/" + name
        let to = holdDirectory + "/" + name
        guard rename(from, to) == 0 else { throw SystemError.current("rename \(from) to \(to)") }
        try DurableFile.syncDirectory(incomingDirectory)
        try DurableFile.syncDirectory(holdDirectory)
    }
}
