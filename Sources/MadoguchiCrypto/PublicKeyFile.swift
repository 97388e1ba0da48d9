// PublicKeyFile: load and write for 32-byte public keys kept in one-line key files
// (`<tag> v1 <base64>`, mode 0644): the spool public key and the audit verification key.

/// A 32-byte public key with its own key file format.
public protocol PublicKeyFile {
    /// The first word of the file's record line.
    static var fileTag: String { get }
    /// The `#` comment written above the record.
    static var fileComment: String { get }
    /// The raw key bytes.
    var rawRepresentation: [UInt8] { get }
    /// Wraps raw key bytes, validating them.
    init(rawRepresentation: [UInt8]) throws
}

extension PublicKeyFile {
    /// Loads a public key file. It is refused when it is a symbolic link, belongs to
    /// another user than root or the running one, or is writable by group or others:
    /// whoever could replace `spool.pub` would redirect the spool encryption to their key.
    /// - Throws: `KeyFileError` (`.writablePublicKey`, `.wrongOwner`, `.symbolicLink`, …),
    ///   `SystemError`, or the type's validation error.
    public static func load(path: String) throws -> Self {
        try Self(rawRepresentation: KeyFile.readSingle(path: path, tag: fileTag, secret: false).bytes)
    }

    /// Writes the public key file (mode 0644) durably.
    /// - Parameters:
    ///   - path: the target.
    ///   - replace: whether an existing file may be replaced; default false.
    /// - Throws: `SystemError`.
    public func write(to path: String, replace: Bool = false) throws {
        try KeyFile.writeSingle(
            tag: Self.fileTag, comment: Self.fileComment, key: SecretKey(rawRepresentation), to: path, mode: 0o644,
            replace: replace)
    }
}
