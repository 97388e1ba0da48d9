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
        return try blob.withUnsafeBytes { raw in
            try aad.withUnsafeBytes { aad in
                try decryptor.open(
                    UnsafeRawBufferPointer(rebasing: raw[header...]),
                    nonce: UnsafeRawBufferPointer(rebasing: raw[5..<header]), aad: aad)
            }
        }
    }
}
