// AESGCM: AES-256-GCM through OpenSSL EVP, 96-bit nonces, 128-bit tags.
// Authentication failure is reported as the generic CryptoError.authenticationFailed
// and no partial plaintext is ever returned.

import COpenSSL

/// AES-256-GCM authenticated encryption.
public enum AESGCM {
    /// Key length in bytes.
    public static let keyLength = 32
    /// Nonce length in bytes.
    public static let nonceLength = 12
    /// Tag length in bytes.
    public static let tagLength = 16

    /// The fetched cipher, looked up once (EVP_aes_256_gcm re-fetches on every init).
    /// `nonisolated(unsafe)`: set once at first use; EVP_CIPHER objects are
    /// immutable and thread-safe once fetched.
    nonisolated(unsafe) private static let cipher: OpaquePointer? = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)

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
        precondition(key.count == keyLength && nonce.count == nonceLength, "AES-GCM key/nonce length")
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
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: plaintext.count + tagLength))
        try output.withUnsafeMutableBytes { out in
            let base = out.baseAddress!.assumingMemoryBound(to: UInt8.self) + start
            var written: Int32 = 0
            if plaintext.count > 0 {
                guard
                    EVP_EncryptUpdate(
                        ctx, base, &written, plaintext.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        Int32(plaintext.count)) == 1
                else { throw CryptoError.openssl("EVP_EncryptUpdate") }
            }
            var final: Int32 = 0
            guard EVP_EncryptFinal_ex(ctx, base + Int(written), &final) == 1 else {
                throw CryptoError.openssl("EVP_EncryptFinal_ex")
            }
            guard
                EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), base + plaintext.count) == 1
            else { throw CryptoError.openssl("EVP_CTRL_GCM_GET_TAG") }
        }
    }

    /// Decrypts `ciphertext ‖ tag`.
    /// - Returns: the plaintext, only if the tag verifies.
    /// - Throws: `CryptoError.authenticationFailed` for any mismatch.
    public static func open(
        _ sealed: UnsafeRawBufferPointer, key: SecretKey, nonce: [UInt8], aad: [UInt8]
    ) throws -> [UInt8] {
        guard key.count == keyLength, nonce.count == nonceLength, sealed.count >= tagLength else {
            throw CryptoError.authenticationFailed
        }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw CryptoError.openssl("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let ok = key.withUnsafeBytes { keyBytes in
            EVP_DecryptInit_ex2(ctx, cipher, keyBytes.baseAddress!.assumingMemoryBound(to: UInt8.self), nonce, nil)
        }
        guard ok == 1 else { throw CryptoError.openssl("EVP_DecryptInit_ex2") }
        var outLength: Int32 = 0
        if !aad.isEmpty {
            guard EVP_DecryptUpdate(ctx, nil, &outLength, aad, Int32(aad.count)) == 1 else {
                throw CryptoError.authenticationFailed
            }
        }
        let bodyLength = sealed.count - tagLength
        let input = sealed.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var plaintext = [UInt8](repeating: 0, count: bodyLength)
        let verified: Bool = plaintext.withUnsafeMutableBytes { out in
            let base = out.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var written: Int32 = 0
            if bodyLength > 0 {
                guard EVP_DecryptUpdate(ctx, base, &written, input, Int32(bodyLength)) == 1 else { return false }
            }
            var tag = Array(UnsafeBufferPointer(start: input + bodyLength, count: tagLength))
            guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1 else { return false }
            var final: Int32 = 0
            var scratch = [UInt8](repeating: 0, count: 16)
            return EVP_DecryptFinal_ex(ctx, &scratch, &final) == 1
        }
        guard verified else {
            SecretKey.cleanse(&plaintext)
            ERR_clear_error()
            throw CryptoError.authenticationFailed
        }
        return plaintext
    }
}
