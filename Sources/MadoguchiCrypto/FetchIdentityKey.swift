// FetchIdentityKey: the fetcher's own secret for naming spool files and recognising a
// message it already spooled: its intake id is `<mailbox>:` + hex HMAC-SHA256(key, raw),
// so a spool file name confirms nothing about a message to someone without the key
// (madoguchi-security(7), SPOOL). File `fetch.key`: `madoguchi-fetch-key v1 <base64>`,
// mode 0600, owner madoguchi-fetch.
// SECURITY: not a database key — scan-and-file never trusts this id and derives its own.

/// The fetcher's intake-id key.
public struct FetchIdentityKey: Sendable {
    /// The record tag of the key file.
    public static let fileTag = "madoguchi-fetch-key"
    /// The key file's name in `key_directory`.
    public static let fileName = "fetch.key"

    private let key: SecretKey

    private init(key: SecretKey) {
        self.key = key
    }

    /// A new random key.
    /// - Throws: `CryptoError.library` if the random generator fails.
    public static func generate() throws -> FetchIdentityKey {
        FetchIdentityKey(key: try SecretKey.random(count: 32))
    }

    /// Loads the key file.
    /// - Throws: `KeyFileError` (also for a group- or world-accessible file), `SystemError`.
    public static func load(path: String) throws -> FetchIdentityKey {
        FetchIdentityKey(key: try KeyFile.readSingle(path: path, tag: fileTag, secret: true))
    }

    /// Writes the key file with mode 0600.
    /// - Throws: `SystemError`.
    public func write(to path: String, replace: Bool = false) throws {
        try KeyFile.writeSingle(
            tag: Self.fileTag,
            comment: "Madoguchi fetch key: names spool files. Mode 0600, owner madoguchi-fetch.",
            key: key, to: path, mode: 0o600, replace: replace)
    }

    /// The intake id of `raw` fetched from `mailbox`: `<mailbox>:<64 hex digits>`.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public func intakeID(mailbox: String, raw: [UInt8]) throws -> String {
        var input = Array(mailbox.utf8)
        input.append(0)
        input.append(contentsOf: raw)
        return mailbox + ":" + Hex.encode(try HMAC.sha256(key: key, data: input))
    }
}
