// KeyRing: turns the wrapped data keys stored in the database plus the master key
// into the working keys: a FieldCipher over all key versions and the derived
// search, address-index, threading-token, audit and CSRF keys.
// SECURITY: a wrong master key or a tampered wrapped key fails with the generic error.

/// The unwrapped data keys of one instance.
public struct KeyRing: Sendable {
    /// The data key id new values use.
    public let currentKeyID: UInt32
    /// Field encryption over every data key version.
    public let fieldCipher: FieldCipher
    private let hierarchies: [UInt32: KeyHierarchy]

    /// Unwraps the data keys.
    /// - Parameters:
    ///   - wrappedKeys: wrapped blobs (from `WrappedKey.wrap` / `newDataKey`) by data key id.
    ///   - currentKeyID: the id new values are written with.
    ///   - master: the master key ring.
    /// - Throws: `CryptoError.authenticationFailed` if any key fails to unwrap,
    ///   `.unknownKey` if `currentKeyID` is not among them.
    public init(wrappedKeys: [UInt32: [UInt8]], currentKeyID: UInt32, master: MasterKey) throws {
        guard wrappedKeys[currentKeyID] != nil else { throw CryptoError.unknownKey }
        var hierarchies: [UInt32: KeyHierarchy] = [:]
        var fieldKeys: [UInt32: SecretKey] = [:]
        for (id, blob) in wrappedKeys {
            let hierarchy = KeyHierarchy(dataKey: try WrappedKey.unwrap(blob, id: id, with: master), keyID: id)
            hierarchies[id] = hierarchy
            fieldKeys[id] = try hierarchy.key(for: .fieldEncryption)
        }
        self.currentKeyID = currentKeyID
        self.hierarchies = hierarchies
        fieldCipher = FieldCipher(keys: fieldKeys, currentKeyID: currentKeyID)
    }

    /// Generates a random data key and returns it wrapped, ready to store.
    /// - Throws: `CryptoError` on a generator or OpenSSL failure.
    public static func newDataKey(id: UInt32, master: MasterKey) throws -> [UInt8] {
        try WrappedKey.wrap(try SecretKey.random(count: 32), id: id, with: master)
    }

    /// The data key ids, ascending.
    public var keyIDs: [UInt32] { hierarchies.keys.sorted() }

    /// Derives the sub-key for a purpose.
    /// - Parameters:
    ///   - purpose: what the key is for.
    ///   - keyID: the data key version; default the current one.
    /// - Throws: `CryptoError.unknownKey` for an unknown version; `.malformed` for a bad label.
    public func key(for purpose: KeyPurpose, keyID: UInt32? = nil) throws -> SecretKey {
        guard let hierarchy = hierarchies[keyID ?? currentKeyID] else { throw CryptoError.unknownKey }
        return try hierarchy.key(for: purpose)
    }

    /// A tokenizer for the search index of one mailbox and field.
    /// - Throws: as `key(for:keyID:)`.
    public func searchTokenizer(mailbox: String, field: String, keyID: UInt32? = nil) throws -> SearchTokenizer {
        try SearchTokenizer(key: key(for: .searchIndex(mailbox: mailbox, field: field), keyID: keyID), field: field)
    }

    /// The full 32-byte blind index of an already-normalised customer address:
    /// HMAC-SHA256(k_addr, UTF-8 of `normalizedAddress`).
    /// - Throws: as `key(for:keyID:)`.
    public func blindIndex(_ normalizedAddress: String, keyID: UInt32? = nil) throws -> [UInt8] {
        try HMAC.sha256(key: key(for: .customerAddressIndex, keyID: keyID), text: normalizedAddress)
    }

    /// The MAC behind the threading tokens Madoguchi issues (subject tags, outgoing
    /// Message-IDs): HMAC-SHA256(k_thread, UTF-8 of `text`). Callers truncate it and
    /// compare with `ConstantTime.equals`.
    /// - Parameters:
    ///   - text: the labelled token input, e.g. `subject-tag|123`.
    ///   - keyID: the data key version; default the current one.
    /// - Throws: as `key(for:keyID:)`.
    public func threadTokenMAC(_ text: String, keyID: UInt32? = nil) throws -> [UInt8] {
        try HMAC.sha256(key: key(for: .threadToken, keyID: keyID), text: text)
    }
}
