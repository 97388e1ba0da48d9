// AESGCM: AES-256-GCM through OpenSSL EVP, 96-bit nonces, 128-bit tags.
// Authentication failure is reported as the generic CryptoError.authenticationFailed
// and no partial plaintext is ever returned. Buffers are filled in place (one pass,
// no zero-fill), so multi-megabyte spool files cost one encryption pass.

import COpenSSL

/// AES-256-GCM authenticated encryption.
public enum AESGCM {
    /// Key length in bytes.
    public static let keyLength = 32
    /// Nonce length in bytes.
    public static let nonceLength = 12
    /// Tag length in bytes.
    public static let tagLength = 16
    /// The most bytes passed to one EVP update call (its length is an Int32).
    static let chunkLength = 1 << 30

    /// The fetched cipher, looked up once (EVP_aes_256_gcm re-fetches on every init).
    /// `nonisolated(unsafe)`: set once at first use; EVP_CIPHER objects are
    /// immutable and thread-safe once fetched.
    nonisolated(unsafe) static let cipher: OpaquePointer? = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)

    /// Encrypts `plaintext` and appends `ciphertext ‖ tag` to `output`.
    /// - Parameters:
    ///   - plaintext: the message.
    ///   - key: a 32-byte key.
    ///   - nonce: a 12-byte nonce, never reused with the same key.
    ///   - aad: associated data authenticated but not encrypted.
    ///   - output: receives ciphertext then tag.
    /// - Throws: `CryptoError.library` on an OpenSSL failure.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer, key: SecretKey, nonce: [UInt8], aad: [UInt8], into output: inout [UInt8]
    ) throws {
        let sealed = try [UInt8](unsafeUninitializedCapacity: plaintext.count + tagLength) { buffer, count in
            try seal(plaintext, key: key, nonce: nonce, aad: aad, to: UnsafeMutableRawBufferPointer(buffer))
            count = buffer.count
        }
        output.append(contentsOf: sealed)
    }

    /// Encrypts `plaintext` into a new array `prefix ‖ ciphertext ‖ tag`, allocated
    /// once and encrypted in place (blob headers go in `prefix`).
    /// - Throws: `CryptoError.library` on an OpenSSL failure.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer, key: SecretKey, nonce: [UInt8], aad: [UInt8], prefixedBy prefix: [UInt8]
    ) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: prefix.count + plaintext.count + tagLength) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            prefix.withUnsafeBytes { raw.copyMemory(from: $0) }
            try seal(
                plaintext, key: key, nonce: nonce, aad: aad,
                to: UnsafeMutableRawBufferPointer(rebasing: raw[prefix.count...]))
            count = buffer.count
        }
    }

    /// Encrypts `plaintext` into `output`, which must be exactly `plaintext.count + tagLength`
    /// bytes and receives `ciphertext ‖ tag`.
    /// - Throws: `CryptoError.library` on an OpenSSL failure.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer, key: SecretKey, nonce: [UInt8], aad: [UInt8],
        to output: UnsafeMutableRawBufferPointer
    ) throws {
        precondition(key.count == keyLength && nonce.count == nonceLength, "AES-GCM key/nonce length")
        precondition(output.count == plaintext.count + tagLength, "AES-GCM output length")
        guard let ctx = EVP_CIPHER_CTX_new() else { throw CryptoError.openssl("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let ok = key.withUnsafeBytes { keyBytes in
            EVP_EncryptInit_ex2(ctx, cipher, keyBytes.baseAddress!.assumingMemoryBound(to: UInt8.self), nonce, nil)
        }
        guard ok == 1 else { throw CryptoError.openssl("EVP_EncryptInit_ex2") }
        var outLength: Int32 = 0
        if !aad.isEmpty {
            guard EVP_EncryptUpdate(ctx, nil, &outLength, aad, Int32(aad.count)) == 1 else {
                throw CryptoError.openssl("EVP_EncryptUpdate")
            }
        }
        let base = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var written = 0
        while written < plaintext.count {
            // EVP lengths are Int32: feed huge messages in 1 GiB steps.
            let step = min(plaintext.count - written, chunkLength)
            var produced: Int32 = 0
            guard
                EVP_EncryptUpdate(
                    ctx, base + written, &produced,
                    plaintext.baseAddress!.assumingMemoryBound(to: UInt8.self) + written, Int32(step)) == 1
            else { throw CryptoError.openssl("EVP_EncryptUpdate") }
            written += Int(produced)
        }
        var final: Int32 = 0
        guard EVP_EncryptFinal_ex(ctx, base + written, &final) == 1 else {
            throw CryptoError.openssl("EVP_EncryptFinal_ex")
        }
        guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), base + plaintext.count) == 1 else {
            throw CryptoError.openssl("EVP_CTRL_GCM_GET_TAG")
        }
    }

    /// Decrypts `ciphertext ‖ tag`.
    /// - Returns: the plaintext, only if the tag verifies.
    /// - Throws: `CryptoError.authenticationFailed` for any mismatch.
    public static func open(
        _ sealed: UnsafeRawBufferPointer, key: SecretKey, nonce: [UInt8], aad: [UInt8]
    ) throws -> [UInt8] {
        guard key.count == keyLength else { throw CryptoError.authenticationFailed }
        let decryptor = try AESGCMDecryptor(key: key)
        return try nonce.withUnsafeBytes { nonce in
            try aad.withUnsafeBytes { aad in try decryptor.open(sealed, nonce: nonce, aad: aad) }
        }
    }
}
