// WrappedKey: data keys encrypted ("wrapped") by the master key so the database
// stores only wrapped keys. Blob: version 0x01 ‖ master key id (4, BE) ‖ nonce (12) ‖
// AES-256-GCM(key) ‖ tag (16); AAD = "madoguchi-wrap-v1|<master id>|<data key id>|<purpose>".
// SECURITY: the wrapping key is HKDF(master, "wrap|<master id>"); any mismatch is the
// generic CryptoError.authenticationFailed.

/// Wrapping and unwrapping of data keys with the master key.
public enum WrappedKey {
    /// Blob format version.
    public static let version: UInt8 = 1
    /// Bytes of a wrapped 32-byte key.
    public static let wrappedLength = 1 + 4 + AESGCM.nonceLength + 32 + AESGCM.tagLength

    private static let headerLength = 1 + 4 + AESGCM.nonceLength

    /// Wraps a data key.
    /// - Parameters:
    ///   - key: the 32-byte data key.
    ///   - id: the data key id, bound into the blob.
    ///   - purpose: what the key is for (default `data`), bound into the blob.
    ///   - master: the master key ring; its current key wraps.
    /// - Returns: the wrapped blob to store.
    /// - Throws: `CryptoError.library` on an OpenSSL failure.
    public static func wrap(_ key: SecretKey, id: UInt32, purpose: String = "data", with master: MasterKey) throws
        -> [UInt8]
    {
        precondition(key.count == 32, "data keys are 32 bytes")
        let masterID = master.currentID
        let kek = try wrappingKey(master: master, id: masterID)
        let nonce = try SecureRandom.bytes(AESGCM.nonceLength)
        var blob = [UInt8]()
        blob.reserveCapacity(wrappedLength)
        blob.append(version)
        withUnsafeBytes(of: masterID.bigEndian) { blob.append(contentsOf: $0) }
        blob.append(contentsOf: nonce)
        try key.withUnsafeBytes {
            try AESGCM.seal(
                $0, key: kek, nonce: nonce, aad: associatedData(masterID: masterID, keyID: id, purpose: purpose),
                into: &blob)
        }
        return blob
    }

    /// Unwraps a data key.
    /// - Parameters:
    ///   - blob: a blob from `wrap`.
    ///   - id: the data key id it was wrapped under.
    ///   - purpose: the purpose it was wrapped for.
    ///   - master: the master key ring (must hold the id named in the blob).
    /// - Returns: the data key.
    /// - Throws: `CryptoError.authenticationFailed` for a wrong master key, id,
    ///   purpose, or any tampering or truncation.
    public static func unwrap(_ blob: [UInt8], id: UInt32, purpose: String = "data", with master: MasterKey) throws
        -> SecretKey
    {
        guard blob.count == wrappedLength, blob[0] == version, let masterID = masterKeyID(of: blob),
            master.key(id: masterID) != nil
        else { throw CryptoError.authenticationFailed }
        let kek = try wrappingKey(master: master, id: masterID)
        var plain = try blob.withUnsafeBytes { raw in
            try AESGCM.open(
                UnsafeRawBufferPointer(rebasing: raw[headerLength...]), key: kek, nonce: Array(blob[5..<headerLength]),
                aad: associatedData(masterID: masterID, keyID: id, purpose: purpose))
        }
        defer { SecretKey.cleanse(&plain) }
        return SecretKey(plain)
    }

    /// The master key id a blob was wrapped with (to find blobs to re-wrap after a
    /// master key rotation), or nil if the blob is not a wrapped key.
    public static func masterKeyID(of blob: [UInt8]) -> UInt32? {
        guard blob.count == wrappedLength, blob[0] == version else { return nil }
        return UInt32(blob[1]) << 24 | UInt32(blob[2]) << 16 | UInt32(blob[3]) << 8 | UInt32(blob[4])
    }

    private static func wrappingKey(master: MasterKey, id: UInt32) throws -> SecretKey {
        guard let key = master.key(id: id) else { throw CryptoError.authenticationFailed }
        return try HKDF.derive(key: key, salt: KeyHierarchy.salt, info: Array("wrap|\(id)".utf8), length: 32)
    }

    private static func associatedData(masterID: UInt32, keyID: UInt32, purpose: String) -> [UInt8] {
        Array("madoguchi-wrap-v1|\(masterID)|\(keyID)|\(purpose)".utf8)
    }
}
