// DurableFile: the tmp → fsync → rename → fsync(dir) sequence. A file written
// this way is either absent or complete after a crash or power loss.

import Glibc

/// Writes files so they are complete or absent after a crash.
public enum DurableFile {
    /// Writes `bytes` to `path` via a temporary file in `temporaryDirectory`
    /// (same file system), fsyncs it, renames it into place and fsyncs the
    /// target directory.
    /// - Parameters:
    ///   - bytes: the whole content.
    ///   - path: the final path; must not exist unless `replace` is true.
    ///   - temporaryDirectory: where the partial file lives; defaults to the target's directory.
    ///   - mode: permission bits of the new file.
    ///   - replace: whether an existing file may be replaced.
    ///   - syncDirectory: fsync the target directory at the end. A caller writing many
    ///     files may pass false and call `syncDirectory(_:)` once before it relies on
    ///     them: the content is durable either way, only the name may be lost until then.
    ///   - modified: the modification time to give the file (nil: the time of writing).
    /// - Throws: `SystemError`.
    public static func write(
        _ bytes: [UInt8], to path: String, temporaryDirectory: String? = nil, mode: mode_t = 0o600,
        replace: Bool = false, syncDirectory sync: Bool = true, modified: timespec? = nil
    ) throws {
        let directory = parentDirectory(of: path)
        let tmpDir = temporaryDirectory ?? directory
        let tmp = "\(tmpDir)/.tmp.\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SystemError.current("create \(tmp)") }
        do {
            try FileDescriptorWriter.writeAllOrThrow(fd, bytes, context: "write \(tmp)")
            if let modified {
                var times = [modified, modified]
                guard futimens(fd, &times) == 0 else { throw SystemError.current("futimens \(tmp)") }
            }
            guard fsync(fd) == 0 else { throw SystemError.current("fsync \(tmp)") }
            close(fd)
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        if !replace {
            // link(2) fails if the target exists: no silent overwrite.
            guard link(tmp, path) == 0 else {
                let error = SystemError.current("create \(path)")
                unlink(tmp)
                throw error
            }
            // A kill here leaves the target complete and a stale temporary name beside it.
            CrashPoint.reach("after-link")
            unlink(tmp)
        } else {
            guard rename(tmp, path) == 0 else {
                let error = SystemError.current("rename \(tmp) to \(path)")
                unlink(tmp)
                throw error
            }
        }
        if sync { try syncDirectory(directory) }
    }

    /// fsyncs a directory so a rename or unlink in it is durable.
    /// - Throws: `SystemError`.
    public static func syncDirectory(_ directory: String) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open \(directory)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw SystemError.current("fsync \(directory)") }
    }

    /// The directory part of a path (`.` when there is none).
    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// Reads a whole file.
    /// - Parameters:
    ///   - path: the file.
    ///   - limit: the most bytes accepted; a larger file throws `EFBIG`.
    /// - Throws: `SystemError`.
    public static func read(_ path: String, limit: Int = Int.max) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open \(path)") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError.current("stat \(path)") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw SystemError(code: EISDIR, context: "read \(path)") }
        if Int(info.st_size) > limit { throw SystemError(code: EFBIG, context: "read \(path)") }
        return try readAll(fd, expected: Int(info.st_size), limit: limit, context: "read \(path)")
    }

    /// Reads an open descriptor to its end in 64 KiB blocks, retrying on EINTR; the one
    /// bounded read loop of the programs (callers check type and size with fstat first).
    /// - Parameters:
    ///   - fd: the open descriptor.
    ///   - expected: the size fstat(2) gave, to reserve once.
    ///   - limit: most bytes read; a file that grew past it is refused, not truncated.
    ///   - context: what the error names (`read <path>`).
    /// - Throws: `SystemError` (`EFBIG` past `limit`).
    public static func readAll(_ fd: Int32, expected: Int, limit: Int = Int.max, context: String) throws -> [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(min(max(expected, 0), limit))
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError.current(context)
            }
            if n == 0 { break }
            if result.count + n > limit { throw SystemError(code: EFBIG, context: context) }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }
}
