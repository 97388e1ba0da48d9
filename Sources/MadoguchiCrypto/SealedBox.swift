// SealedBox: public-key encryption of spool files. Ephemeral X25519 with the
// recipient's key; key ‖ nonce = HKDF-SHA256(shared, salt = ephemeral pub ‖ recipient pub,
// info "madoguchi-spool-v1", 44 bytes); AES-256-GCM over the message.
// Box: version 0x01 ‖ ephemeral pub (32) ‖ ciphertext ‖ tag (16); AAD = version ‖ ephemeral pub.
// Other uses (e.g. wrapping a backup data key) pass their own `label`, so a box made
// for one purpose never opens as another.
// SECURITY: any tampering or wrong private key is the generic CryptoError.authenticationFailed.

/// Sealing to a spool public key, opening with the key pair.
public enum SealedBox {
    /// Format version.
    public static let version: UInt8 = 1
    /// Bytes a box adds to the message.
    public static let overhead = 1 + 32 + AESGCM.tagLength
    /// The HKDF info label of spool files (the default label).
    public static let spoolLabel = "madoguchi-spool-v1"

    /// Encrypts a message so only the holder of the private key can read it.
    /// One pass over the message; the box is allocated once.
    /// - Parameters:
    ///   - message: the plaintext.
    ///   - recipient: the public key.
    ///   - label: the purpose label bound into the key derivation (default: spool).
    /// - Throws: `CryptoError.malformed` for an unusable public key, `.library` on failure.
    public static func seal(
        _ message: UnsafeRawBufferPointer, to recipient: SpoolPublicKey, label: String = spoolLabel
    ) throws -> [UInt8] {
        let ephemeral = try PrivateKeyHandle.generate(algorithm: "X25519")
        let ephemeralPublic = try ephemeral.rawPublic()
        let peer = try PrivateKeyHandle(rawPublic: recipient.rawRepresentation, algorithm: "X25519")
        var shared: [UInt8]
        do {
            shared = try ephemeral.agree(with: peer)
        } catch {
            throw CryptoError.malformed("spool public key")
        }
        defer { SecretKey.cleanse(&shared) }
        let (key, nonce) = try boxKey(shared: shared, ephemeral: ephemeralPublic, recipient: recipient, label: label)
        let header = [version] + ephemeralPublic
        return try AESGCM.seal(message, key: key, nonce: nonce, aad: header, prefixedBy: header)
    }

    /// Encrypts a message (see `seal(_:to:)` for raw buffers).
    /// - Throws: as `seal(_:to:)`.
    public static func seal(_ message: [UInt8], to recipient: SpoolPublicKey, label: String = spoolLabel) throws
        -> [UInt8]
    {
        try message.withUnsafeBytes { try seal($0, to: recipient, label: label) }
    }

    /// Decrypts a box.
    /// - Parameters:
    ///   - box: a box from `seal`.
    ///   - keyPair: the recipient's key pair.
    ///   - label: the label the box was sealed with (default: spool).
    /// - Returns: the message, only if it verifies.
    /// - Throws: `CryptoError.authenticationFailed` for a wrong key or label, any tampering or truncation.
    public static func open(_ box: UnsafeRawBufferPointer, with keyPair: SpoolKeyPair, label: String = spoolLabel)
        throws -> [UInt8]
    {
        guard box.count >= overhead, box[0] == version else { throw CryptoError.authenticationFailed }
        let header = Array(box[0..<33])
        let ephemeralPublic = Array(header[1...])
        let peer = try PrivateKeyHandle(rawPublic: ephemeralPublic, algorithm: "X25519")
        let mine = try PrivateKeyHandle(rawPrivate: keyPair.privateKey, algorithm: "X25519")
        var shared: [UInt8]
        do {
            shared = try mine.agree(with: peer)
        } catch {
            throw CryptoError.authenticationFailed
        }
        defer { SecretKey.cleanse(&shared) }
        let (key, nonce) = try boxKey(
            shared: shared, ephemeral: ephemeralPublic, recipient: keyPair.publicKey, label: label)
        return try AESGCM.open(UnsafeRawBufferPointer(rebasing: box[33...]), key: key, nonce: nonce, aad: header)
    }

    /// Decrypts a box (see `open(_:with:)` for raw buffers).
    /// - Throws: as `open(_:with:)`.
    public static func open(_ box: [UInt8], with keyPair: SpoolKeyPair, label: String = spoolLabel) throws
        -> [UInt8]
    {
        try box.withUnsafeBytes { try open($0, with: keyPair, label: label) }
    }

    private static func boxKey(shared: [UInt8], ephemeral: [UInt8], recipient: SpoolPublicKey, label: String)
        throws -> (SecretKey, [UInt8])
    {
        var material = try HKDF.deriveBytes(
            key: SecretKey(shared), salt: ephemeral + recipient.rawRepresentation, info: Array(label.utf8),
            length: AESGCM.keyLength + AESGCM.nonceLength)
        defer { SecretKey.cleanse(&material) }
        return (SecretKey(Array(material[0..<AESGCM.keyLength])), Array(material[AESGCM.keyLength...]))
    }
}
