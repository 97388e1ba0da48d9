// SpoolKeyPair: the X25519 key pair of the incoming-mail spool. fetch-forwarded-mail
// holds only the public key (it can seal but not open); scan-and-file holds the private.
// Files: `madoguchi-spool-public-key v1 <base64>` (0644) and
// `madoguchi-spool-private-key v1 <base64>` (0600, refused if group/world-writable or world-readable).

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

    /// Loads a private key file (and derives the public key from it); the rules are the
    /// master key's (0600, or 0640 owned by root; owner root or the running user; no link).
    /// - Throws: `KeyFileError.insecurePermissions`, `.wrongOwner`, `.symbolicLink`, other
    ///   `KeyFileError`s, `SystemError`.
    public static func load(privateKeyPath path: String) throws -> SpoolKeyPair {
        try SpoolKeyPair(privateKey: KeyFile.readSingle(path: path, tag: fileTag, secret: true))
    }

    /// Writes the private key file with mode 0600.
    /// - Throws: `SystemError`.
    public func writePrivateKey(to path: String, replace: Bool = false) throws {
        try KeyFile.writeSingle(
            tag: SpoolKeyPair.fileTag,
            comment: "Madoguchi spool private key. Mode 0600, owner madoguchi; never give it to the fetcher.",
            key: privateKey, to: path, mode: 0o600, replace: replace)
    }
}
