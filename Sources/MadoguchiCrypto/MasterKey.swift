// MasterKey: the key-encryption key(s) kept in the key file, never in the database.
// File format, one key per line (the highest id is current; older ids stay for
// unwrapping after a rotation):
//   madoguchi-master-key v1 id=1 <base64 of 32 bytes>
// SECURITY: load refuses a symbolic link, a file owned by another user than root or the
// running one, and any mode beyond 0600 (0640 when root owns it); write uses 0600.

import Glibc

/// The master key ring (key-encryption keys) from the key file.
public struct MasterKey: Sendable {
    /// The record tag of key file lines.
    public static let fileTag = "madoguchi-master-key"
    /// The file name under `key_directory`.
    public static let fileName = "master.key"
    /// Bytes per master key.
    public static let keyLength = 32

    /// The id used to wrap new data keys and derive the current pepper (the highest id).
    public let currentID: UInt32
    private let keys: [UInt32: SecretKey]

    /// Creates a ring from keys by id.
    /// - Precondition: `keys` is not empty and every key is 32 bytes.
    public init(keys: [UInt32: SecretKey]) {
        precondition(!keys.isEmpty && keys.values.allSatisfy { $0.count == MasterKey.keyLength }, "bad master keys")
        self.keys = keys
        currentID = keys.keys.max()!
    }

    /// All key ids, ascending.
    public var ids: [UInt32] { keys.keys.sorted() }

    /// The key with `id`, if present.
    func key(id: UInt32) -> SecretKey? { keys[id] }

    /// Generates a fresh master key ring with one random key.
    /// - Parameter id: the key id (default 1).
    /// - Throws: `CryptoError` if the random generator fails.
    public static func generate(id: UInt32 = 1) throws -> MasterKey {
        MasterKey(keys: [id: try SecretKey.random(count: keyLength)])
    }

    /// Returns this ring plus a new random key with the next id, which becomes current.
    /// Old keys remain so existing wrapped keys and password records still work.
    /// - Throws: `CryptoError` if the random generator fails.
    public func addingKey() throws -> MasterKey {
        var next = keys
        next[currentID + 1] = try SecretKey.random(count: MasterKey.keyLength)
        return MasterKey(keys: next)
    }

    /// Loads the key file.
    /// - Parameter path: the key file: mode 0600 owned by root or the running user, or
    ///   0640 owned by root (group madoguchi).
    /// - Throws: `KeyFileError.insecurePermissions` for any other mode, `.wrongOwner`,
    ///   `.symbolicLink`, `.notRegularFile`, `.malformed`/`.empty`, `SystemError`.
    public static func load(path: String) throws -> MasterKey {
        var records = try KeyFile.read(
            path: path, tag: fileTag, secret: true, withID: true, keyLength: keyLength)
        var keys: [UInt32: SecretKey] = [:]
        for index in records.indices {
            let id = records[index].id!
            if keys[id] != nil { throw KeyFileError.malformed(path: path, line: records[index].line) }
            keys[id] = SecretKey(records[index].bytes)
            SecretKey.cleanse(&records[index].bytes)
        }
        return MasterKey(keys: keys)
    }

    /// Writes the key file with mode 0600 (durably: tmp → fsync → rename).
    /// - Parameters:
    ///   - path: the target file.
    ///   - replace: whether an existing file may be replaced (rotation); default false.
    /// - Throws: `SystemError`.
    public func write(to path: String, replace: Bool = false) throws {
        var text =
            "# Madoguchi master key file. Keep it mode 0600 (or 0640 root:madoguchi).\n"
            + "# Back it up separately from the database; without it the data cannot be read.\n"
        for id in ids {
            var bytes = keys[id]!.bytes
            text += KeyFile.line(tag: MasterKey.fileTag, id: id, key: bytes)
            SecretKey.cleanse(&bytes)
        }
        try KeyFile.write(text, to: path, mode: 0o600, replace: replace)
    }
}
