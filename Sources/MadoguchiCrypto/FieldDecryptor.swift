// FieldDecryptor: opens FieldCipher blobs on one thread, keeping one AES-GCM context
// per key id (AESGCMDecryptor) and one associated-data buffer, so a page that shows
// a hundred fields expands each key once instead of once per field. The blob format
// and every check are FieldCipher's: version byte, key id, nonce, ciphertext, tag;
// AAD `v1|table|column|row|keyid`; any mismatch is the generic
// CryptoError.authenticationFailed.

/// Decrypts database fields with a cipher's keys. Not thread-safe: one per connection.
public final class FieldDecryptor {
    /// The keys.
    public let cipher: FieldCipher
    private var contexts: [UInt32: AESGCMDecryptor] = [:]
    private var aad: [UInt8] = []

    /// A decryptor over `cipher`'s key ring.
    public init(cipher: FieldCipher) { self.cipher = cipher }

    /// Decrypts a blob written by `FieldCipher.seal` for the same context.
    /// - Throws: `CryptoError.authenticationFailed` (generic) for any tampering,
    ///   truncation, wrong row or unknown key.
    public func open(_ blob: [UInt8], for context: FieldContext) throws -> [UInt8] {
        try blob.withUnsafeBytes { try open($0, for: context) }
    }

    /// Decrypts a blob in place in memory (e.g. a column SQLite holds).
    /// - Throws: as `open(_:for:)`.
    public func open(_ blob: UnsafeRawBufferPointer, for context: FieldContext) throws -> [UInt8] {
        try decrypt(blob, for: context) { try $0.open($1, nonce: $2, aad: $3) }
    }

    /// Decrypts a blob into text (invalid UTF-8 repaired, as `String(decoding:as:)`
    /// does), with no intermediate array.
    /// - Throws: as `open(_:for:)`.
    public func openString(_ blob: UnsafeRawBufferPointer, for context: FieldContext) throws -> String {
        try decrypt(blob, for: context) { try $0.openString($1, nonce: $2, aad: $3) }
    }

    /// Checks the header, finds the key's context, builds the associated data and
    /// runs `body` with (context, ciphertext ‖ tag, nonce, AAD).
    private func decrypt<T>(
        _ blob: UnsafeRawBufferPointer, for context: FieldContext,
        _ body: (AESGCMDecryptor, UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> T
    ) throws -> T {
        let header = 5 + AESGCM.nonceLength
        guard blob.count >= FieldCipher.overhead, blob[0] == FieldCipher.version else {
            throw CryptoError.authenticationFailed
        }
        let keyID = UInt32(blob[1]) << 24 | UInt32(blob[2]) << 16 | UInt32(blob[3]) << 8 | UInt32(blob[4])
        let decryptor: AESGCMDecryptor
        if let known = contexts[keyID] {
            decryptor = known
        } else {
            guard let key = cipher.key(keyID) else { throw CryptoError.authenticationFailed }
            decryptor = try AESGCMDecryptor(key: key)
            contexts[keyID] = decryptor
        }
        aad.removeAll(keepingCapacity: true)
        context.appendAssociatedData(keyID: keyID, to: &aad)
        return try aad.withUnsafeBytes { aad in
            try body(
                decryptor, UnsafeRawBufferPointer(rebasing: blob[header...]),
                UnsafeRawBufferPointer(rebasing: blob[5..<header]), aad)
        }
    }
}
