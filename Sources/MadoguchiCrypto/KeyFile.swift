// KeyFile: reading and writing the small line-based text files that hold keys
// (master key, spool key pair). One record per line: `<tag> v1 [id=N] <base64>`.
// SECURITY: a key file is opened with O_NOFOLLOW (a symbolic link is refused) and must
// be a regular file owned by root or the running user; a secret one must be 0600 (or
// 0640 owned by root), a public one not group/world-writable (madoguchi-security(7)
// KEYS). Written with mode 0600 (public 0644) through DurableFile (tmp → fsync → rename).

import Foundation
import Glibc
import MadoguchiCore

/// Reading and writing key files (and other secret files under the same rules).
public enum KeyFile {
    /// The largest key file accepted.
    static let sizeLimit = 64 * 1024

    /// Reads a key file, checking type, owner and permissions on the opened descriptor.
    /// - Parameters:
    ///   - path: the file.
    ///   - tag: the first word of every record (e.g. `madoguchi-master-key`).
    ///   - secret: whether the secret-key rules apply (else the public-key rules).
    ///   - withID: whether records carry `id=N`.
    ///   - keyLength: the required decoded length.
    ///   - runningUser: the user the file may belong to besides root (tests pass another).
    /// - Throws: `KeyFileError`, `SystemError`.
    static func read(
        path: String, tag: String, secret: Bool, withID: Bool, keyLength: Int, runningUser: uid_t = geteuid()
    ) throws -> [KeyFileRecord] {
        var content = try readProtected(path: path, secret: secret, runningUser: runningUser)
        defer { SecretKey.cleanse(&content) }
        return try parse(content[...], path: path, tag: tag, withID: withID, keyLength: keyLength)
    }

    /// The bytes of a file under the key-file rules (madoguchi-security(7) KEYS): not a
    /// symbolic link, a regular file owned by root or the running user, with the mode
    /// `refusal` allows, at most `sizeLimit` bytes. Other secret files (the SMTP relay's
    /// credentials) are read the same way. The caller cleanses the result.
    /// - Parameters:
    ///   - path: the file.
    ///   - secret: whether the secret-key mode rules apply (else the public-key rules).
    ///   - runningUser: the user the file may belong to besides root.
    /// - Throws: `KeyFileError`, `SystemError`.
    public static func readProtected(path: String, secret: Bool = true, runningUser: uid_t = geteuid()) throws
        -> [UInt8]
    {
        // O_NOFOLLOW: whoever can make a link could point it at a file they control.
        // O_NONBLOCK: a FIFO planted at the path must not hang the program; fstat refuses it.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW)
        guard fd >= 0 else {
            let error = SystemError.current("open \(path)")
            var info = stat()
            if error.code == ELOOP, lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
                throw KeyFileError.symbolicLink(path: path)
            }
            throw error
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError.current("stat \(path)") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw KeyFileError.notRegularFile(path: path) }
        if let refusal = refusal(
            path: path, owner: info.st_uid, mode: info.st_mode, secret: secret, runningUser: runningUser)
        {
            throw refusal
        }
        guard Int(info.st_size) <= sizeLimit else { throw SystemError(code: EFBIG, context: "read \(path)") }
        var content = [UInt8](repeating: 0, count: sizeLimit + 1)
        var used = 0
        while used < content.count {
            let n = content.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + used, $0.count - used) }
            if n < 0 {
                if errno == EINTR { continue }
                SecretKey.cleanse(&content)
                throw SystemError.current("read \(path)")
            }
            if n == 0 { break }
            used += n
        }
        guard used <= sizeLimit else {
            SecretKey.cleanse(&content)
            throw SystemError(code: EFBIG, context: "read \(path)")
        }
        let result = Array(content[0..<used])
        SecretKey.cleanse(&content)
        return result
    }

    /// The documented rules (madoguchi-security(7) KEYS): the owner is root or the running
    /// user (anyone else could replace the key or change its mode); a secret key has no
    /// permission beyond 0640, and the group may read it only when root owns the file
    /// (0640 root:madoguchi); a public key is not writable by group or others (replacing
    /// `spool.pub` would redirect the spool encryption).
    /// - Returns: the error to throw, or nil when the file is acceptable.
    static func refusal(path: String, owner: uid_t, mode: mode_t, secret: Bool, runningUser: uid_t) -> KeyFileError? {
        let bits = UInt32(mode & 0o7777)
        guard owner == 0 || owner == runningUser else { return .wrongOwner(path: path, owner: UInt32(owner)) }
        if secret {
            if bits & ~UInt32(0o640) != 0 || (bits & 0o040 != 0 && owner != 0) {
                return .insecurePermissions(path: path, mode: bits)
            }
        } else if bits & 0o022 != 0 {
            return .writablePublicKey(path: path, mode: bits)
        }
        return nil
    }

    /// Parses key file text; `#` comments and blank lines are ignored.
    /// - Throws: `KeyFileError`.
    static func parse(_ content: ArraySlice<UInt8>, path: String, tag: String, withID: Bool, keyLength: Int) throws
        -> [KeyFileRecord]
    {
        var records: [KeyFileRecord] = []
        var lineNumber = 0
        for line in content.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let words = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
            if words.isEmpty || words[0].first == UInt8(ascii: "#") { continue }
            let bad = KeyFileError.malformed(path: path, line: lineNumber)
            guard words.count == (withID ? 4 : 3), Array(words[0]) == Array(tag.utf8),
                Array(words[1]) == Array("v1".utf8)
            else { throw bad }
            var id: UInt32?
            if withID {
                let field = String(decoding: words[2], as: UTF8.self)
                guard field.hasPrefix("id="), let value = UInt32(field.dropFirst(3)), value > 0 else { throw bad }
                id = value
            }
            guard let decoded = Data(base64Encoded: Data(words[words.count - 1])), decoded.count == keyLength
            else { throw bad }
            records.append(KeyFileRecord(line: lineNumber, id: id, bytes: [UInt8](decoded)))
        }
        guard !records.isEmpty else { throw KeyFileError.empty(path: path) }
        return records
    }

    /// Reads a file that holds exactly one 32-byte key without an id.
    /// - Throws: `KeyFileError` (`.malformed` naming the second record's line if
    ///   there are several), `SystemError`.
    static func readSingle(path: String, tag: String, secret: Bool) throws -> SecretKey {
        var records = try read(path: path, tag: tag, secret: secret, withID: false, keyLength: 32)
        defer { for index in records.indices { SecretKey.cleanse(&records[index].bytes) } }
        guard records.count == 1 else { throw KeyFileError.malformed(path: path, line: records[1].line) }
        return SecretKey(records[0].bytes)
    }

    /// Writes a file holding one key without an id, after a `#` comment line.
    /// - Throws: `SystemError`.
    static func writeSingle(
        tag: String, comment: String, key: SecretKey, to path: String, mode: mode_t, replace: Bool
    ) throws {
        var bytes = key.bytes
        defer { SecretKey.cleanse(&bytes) }
        try write("# \(comment)\n" + line(tag: tag, id: nil, key: bytes), to: path, mode: mode, replace: replace)
    }

    /// Formats one record line.
    static func line(tag: String, id: UInt32?, key: [UInt8]) -> String {
        let idField = id.map { " id=\($0)" } ?? ""
        return "\(tag) v1\(idField) \(Data(key).base64EncodedString())\n"
    }

    /// Writes a key file durably.
    /// - Parameters:
    ///   - text: the whole content.
    ///   - path: the target; it must not exist unless `replace`.
    ///   - mode: 0600 for secrets, 0644 for public keys.
    ///   - replace: whether an existing file may be replaced.
    /// - Throws: `SystemError`.
    static func write(_ text: String, to path: String, mode: mode_t, replace: Bool) throws {
        var bytes = Array(text.utf8)
        defer { SecretKey.cleanse(&bytes) }
        try DurableFile.write(bytes, to: path, mode: mode, replace: replace)
    }
}
