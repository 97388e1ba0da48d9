// SpoolKeyPair: the X25519 key pair of the incoming-mail spool. fetch-forwarded-mail
// holds only the public key (it can seal but not open); scan-and-file holds the private.
// Files: `madoguchi-spool-public-key v1 <base64>` (0644) and
// `madoguchi-spool-private-key v1 <base64>` (0600, refused if group/world-writable or world-readable).

/// The public half: what the fetcher seals spool files to.
public struct SpoolPublicKey: Sendable, Equatable {
    /// The record tag of the public key file.
    public static let fileTag = "madoguchi-spool-public-key"
    /// The file name under `key_directory`.
    public static let fileName = "spool.pub"
    /// The 32-byte X25519 public key.
    public let rawRepresentation: [UInt8]

    /// Wraps raw bytes.
    /// - Throws: `CryptoError.malformed` unless 32 bytes.
    public init(rawRepresentation: [UInt8]) throws {
        guard rawRepresentation.count == 32 else { throw CryptoError.malformed("spool public key") }
        self.rawRepresentation = rawRepresentation
    }

    /// Loads a public key file.
    /// - Throws: `KeyFileError`, `SystemError`.
    public static func load(path: String) throws -> SpoolPublicKey {
        let records = try KeyFile.read(path: path, tag: fileTag, secret: false, withID: false, keyLength: 32)
        guard records.count == 1 else { throw KeyFileError.malformed(path: path, line: 2) }
        return try SpoolPublicKey(rawRepresentation: records[0].bytes)
    }

    /// Writes the public key file (mode 0644).
    /// - Throws: `SystemError`.
    public func write(to path: String, replace: Bool = false) throws {
        try KeyFile.write(
            "# Madoguchi spool public key (fetch-forwarded-mail seals spool files to it).\n"
                + KeyFile.line(tag: SpoolPublicKey.fileTag, id: nil, key: rawRepresentation),
            to: path, mode: 0o644, replace: replace)
    }
}

/// The full X25519 key pair: opens spool files.
public struct SpoolKeyPair: Sendable {
    /// The record tag of the private key file.
    public static let fileTag = "madoguchi-spool-private-key"
    /// The file name under `key_directory`.
    public static let fileName = "spool.key"
    /// The public half.
    public let publicKey: SpoolPublicKey
    let privateKey: SecretKey

    private init(privateKey: SecretKey) throws {
        self.privateKey = privateKey
        publicKey = try SpoolPublicKey(
            rawRepresentation: PrivateKeyHandle(rawPrivate: privateKey, algorithm: "X25519").rawPublic())
    }

    /// Generates a new key pair.
    /// - Throws: `CryptoError.library`.
    public static func generate() throws -> SpoolKeyPair {
        try SpoolKeyPair(privateKey: PrivateKeyHandle.generate(algorithm: "X25519").rawPrivate())
    }

    /// Loads a private key file (and derives the public key from it).
    /// - Throws: `KeyFileError.insecurePermissions` for a group/world-writable or
    ///   world-readable file, other `KeyFileError`s, `SystemError`.
    public static func load(privateKeyPath path: String) throws -> SpoolKeyPair {
        var records = try KeyFile.read(path: path, tag: fileTag, secret: true, withID: false, keyLength: 32)
        defer { for index in records.indices { SecretKey.cleanse(&records[index].bytes) } }
        guard records.count == 1 else { throw KeyFileError.malformed(path: path, line: 2) }
        return try SpoolKeyPair(privateKey: SecretKey(records[0].bytes))
    }

    /// Writes the private key file with mode 0600.
    /// - Throws: `SystemError`.
    public func writePrivateKey(to path: String, replace: Bool = false) throws {
        var bytes = privateKey.bytes
        defer { SecretKey.cleanse(&bytes) }
        try KeyFile.write(
            "# Madoguchi spool private key. Mode 0600, owner madoguchi; never give it to the fetcher.\n"
                + KeyFile.line(tag: SpoolKeyPair.fileTag, id: nil, key: bytes),
            to: path, mode: 0o600, replace: replace)
    }
}
