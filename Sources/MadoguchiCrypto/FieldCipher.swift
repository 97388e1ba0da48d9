// FieldCipher: the versioned AEAD blob every encrypted database field is stored as.
// Blob: version (1 byte, 0x01) ‖ key id (4 bytes, big-endian) ‖ nonce (12) ‖
// ciphertext ‖ tag (16). AAD = "v1|table|column|row|keyid", so a blob copied to
// another row, column or table fails to decrypt.

/// Encrypts and decrypts database fields with a ring of data keys.
public struct FieldCipher: Sendable {
    /// Blob format version.
    public static let version: UInt8 = 1
    /// Bytes a blob adds to the plaintext.
    public static let overhead = 1 + 4 + AESGCM.nonceLength + AESGCM.tagLength

    /// The key id new values are encrypted with.
    public let currentKeyID: UInt32
    private let keys: [UInt32: SecretKey]

    /// Creates a cipher over a key ring.
    /// - Parameters:
    ///   - keys: field keys by key id (32 bytes each).
    ///   - currentKeyID: the id used for new values; must be in `keys`.
    public init(keys: [UInt32: SecretKey], currentKeyID: UInt32) {
        precondition(keys[currentKeyID] != nil, "current field key missing from key ring")
        self.keys = keys
        self.currentKeyID = currentKeyID
    }

    /// Encrypts a value for one table/column/row.
    /// - Throws: `CryptoError.library` on an OpenSSL failure.
    public func seal(_ plaintext: [UInt8], for context: FieldContext) throws -> [UInt8] {
        try plaintext.withUnsafeBytes { try seal($0, for: context) }
    }

    /// Encrypts a string (UTF-8) for one table/column/row.
    /// - Throws: `CryptoError.library` on an OpenSSL failure.
    public func seal(_ text: String, for context: FieldContext) throws -> [UInt8] {
        var text = text
        return try text.withUTF8 { try seal(UnsafeRawBufferPointer($0), for: context) }
    }

    /// Encrypts raw bytes for one table/column/row.
    /// - Throws: `CryptoError.library` on an OpenSSL failure.
    public func seal(_ plaintext: UnsafeRawBufferPointer, for context: FieldContext) throws -> [UInt8] {
        guard let key = keys[currentKeyID] else { throw CryptoError.unknownKey }
        let nonce = try SecureRandom.bytes(AESGCM.nonceLength)
        var header = [FieldCipher.version]
        withUnsafeBytes(of: currentKeyID.bigEndian) { header.append(contentsOf: $0) }
        header.append(contentsOf: nonce)
        let aad = context.associatedData(keyID: currentKeyID)
        return try AESGCM.seal(plaintext, key: key, nonce: nonce, aad: aad, prefixedBy: header)
    }

    /// Decrypts a blob written by `seal` for the same context (one OpenSSL context for
    /// this blob; `FieldDecryptor` keeps them for many).
    /// - Throws: `CryptoError.authenticationFailed` (generic) for any tampering,
    ///   truncation, wrong row or unknown key.
    public func open(_ blob: [UInt8], for context: FieldContext) throws -> [UInt8] {
        try FieldDecryptor(cipher: self).open(blob, for: context)
    }

    /// The key of `keyID`, or nil when the ring has none.
    func key(_ keyID: UInt32) -> SecretKey? { keys[keyID] }

    /// Decrypts a blob into a string.
    /// - Throws: `CryptoError.authenticationFailed`, or `.malformed` if the plaintext is not UTF-8.
    public func openString(_ blob: [UInt8], for context: FieldContext) throws -> String {
        let bytes = try open(blob, for: context)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The key id a blob names, without decrypting (for re-encryption on rotation).
    public static func keyID(of blob: [UInt8]) -> UInt32? {
        guard blob.count >= overhead, blob[0] == version else { return nil }
        return UInt32(blob[1]) << 24 | UInt32(blob[2]) << 16 | UInt32(blob[3]) << 8 | UInt32(blob[4])
    }
}
