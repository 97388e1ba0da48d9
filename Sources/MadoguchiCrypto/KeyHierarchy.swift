// KeyHierarchy: derives the purpose sub-keys of one data key, and the password
// pepper of one master key, with HKDF-SHA256 and a fixed salt.
// SECURITY: the pepper comes from the master key, so it lives only in the key file.

/// The sub-keys of one data key.
public struct KeyHierarchy: Sendable {
    /// The HKDF salt of every Madoguchi derivation (a domain label).
    public static let salt = Array("madoguchi-kdf-v1".utf8)

    /// The data key id (the key version bound into every label).
    public let keyID: UInt32
    private let dataKey: SecretKey

    /// Wraps an (unwrapped) data key.
    public init(dataKey: SecretKey, keyID: UInt32) {
        self.dataKey = dataKey
        self.keyID = keyID
    }

    /// Derives the 32-byte sub-key for one purpose.
    /// - Throws: `CryptoError` on a bad label or an OpenSSL failure.
    public func key(for purpose: KeyPurpose) throws -> SecretKey {
        try HKDF.derive(key: dataKey, salt: KeyHierarchy.salt, info: purpose.info(keyVersion: keyID), length: 32)
    }

    /// Derives the password pepper of master key `id`.
    /// - Throws: `CryptoError.unknownKey` if the ring lacks `id`; `.library` on failure.
    public static func pepper(from master: MasterKey, id: UInt32) throws -> SecretKey {
        guard let key = master.key(id: id) else { throw CryptoError.unknownKey }
        return try HKDF.derive(key: key, salt: salt, info: Array("pepper|\(id)".utf8), length: 32)
    }
}
