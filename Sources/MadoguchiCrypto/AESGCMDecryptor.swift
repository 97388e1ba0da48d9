// AESGCMDecryptor: AES-256-GCM decryption under one key with one OpenSSL context
// kept across messages: the key schedule is computed once, and each message only
// sets its nonce (EVP_DecryptInit_ex2 with a NULL key keeps the key,
// EVP_EncryptInit(3)). A context per field cost the inbox page a new context, a key
// expansion and a free for each of its 150 fields. As in AESGCM.open, a tag that
// does not verify is the generic CryptoError.authenticationFailed and no partial
// plaintext is returned.

import COpenSSL

/// AES-256-GCM decryption under one key. Not thread-safe: use it from one thread.
public final class AESGCMDecryptor {
    private let ctx: OpaquePointer

    /// Sets up a context for `key`.
    /// - Throws: `CryptoError.authenticationFailed` for a key that is not 32 bytes,
    ///   `CryptoError.library` on an OpenSSL failure.
    public init(key: SecretKey) throws {
        guard key.count == AESGCM.keyLength else { throw CryptoError.authenticationFailed }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw CryptoError.openssl("EVP_CIPHER_CTX_new") }
        let ok = key.withUnsafeBytes { keyBytes in
            EVP_DecryptInit_ex2(
                ctx, AESGCM.cipher, keyBytes.baseAddress!.assumingMemoryBound(to: UInt8.self), nil, nil)
        }
        guard ok == 1 else {
            EVP_CIPHER_CTX_free(ctx)
            throw CryptoError.openssl("EVP_DecryptInit_ex2")
        }
        self.ctx = ctx
    }

    deinit {
        // Frees (and cleanses) the key schedule.
        EVP_CIPHER_CTX_free(ctx)
    }

    /// Decrypts `ciphertext ‖ tag`.
    /// - Parameters:
    ///   - sealed: ciphertext then the 16-byte tag.
    ///   - nonce: the 12-byte nonce.
    ///   - aad: the associated data.
    /// - Returns: the plaintext, only if the tag verifies.
    /// - Throws: `CryptoError.authenticationFailed` for any mismatch.
    public func open(_ sealed: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer)
        throws -> [UInt8]
    {
        let bodyLength = try start(sealed, nonce: nonce, aad: aad)
        var verified = false
        let plaintext = [UInt8](unsafeUninitializedCapacity: bodyLength) { buffer, count in
            verified = finish(sealed, into: UnsafeMutableRawBufferPointer(buffer))
            count = verified ? bodyLength : 0
        }
        guard verified else { throw CryptoError.authenticationFailed }
        return plaintext
    }

    /// Decrypts `ciphertext ‖ tag` straight into a String (invalid UTF-8 repaired, as
    /// `String(decoding:as:)` does), without an intermediate array.
    /// - Throws: `CryptoError.authenticationFailed` for any mismatch.
    public func openString(
        _ sealed: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer
    ) throws -> String {
        let bodyLength = try start(sealed, nonce: nonce, aad: aad)
        var verified = false
        let text = String(unsafeUninitializedCapacity: bodyLength) { buffer in
            verified = finish(sealed, into: UnsafeMutableRawBufferPointer(buffer))
            return verified ? bodyLength : 0
        }
        guard verified else { throw CryptoError.authenticationFailed }
        return text
    }

    /// Sets the nonce and feeds the associated data.
    /// - Returns: the ciphertext's length.
    private func start(_ sealed: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer)
        throws -> Int
    {
        guard nonce.count == AESGCM.nonceLength, sealed.count >= AESGCM.tagLength else {
            throw CryptoError.authenticationFailed
        }
        guard
            EVP_DecryptInit_ex2(ctx, nil, nil, nonce.baseAddress!.assumingMemoryBound(to: UInt8.self), nil) == 1
        else { throw CryptoError.openssl("EVP_DecryptInit_ex2") }
        var outLength: Int32 = 0
        if aad.count > 0 {
            guard
                EVP_DecryptUpdate(
                    ctx, nil, &outLength, aad.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(aad.count))
                    == 1
            else {
                ERR_clear_error()
                throw CryptoError.authenticationFailed
            }
        }
        return sealed.count - AESGCM.tagLength
    }

    /// Decrypts into `output` (the ciphertext's length) and checks the tag; on a
    /// mismatch wipes `output`, since nothing unauthenticated may leave, not even in
    /// freed memory.
    private func finish(_ sealed: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        let bodyLength = sealed.count - AESGCM.tagLength
        let verified = decrypt(
            input: sealed.baseAddress!.assumingMemoryBound(to: UInt8.self), bodyLength: bodyLength,
            into: output.baseAddress?.assumingMemoryBound(to: UInt8.self))
        if !verified {
            if bodyLength > 0 { OPENSSL_cleanse(output.baseAddress, bodyLength) }
            ERR_clear_error()
        }
        return verified
    }

    private func decrypt(input: UnsafePointer<UInt8>, bodyLength: Int, into base: UnsafeMutablePointer<UInt8>?)
        -> Bool
    {
        var written = 0
        while written < bodyLength {
            let step = min(bodyLength - written, AESGCM.chunkLength)
            var produced: Int32 = 0
            guard EVP_DecryptUpdate(ctx, base! + written, &produced, input + written, Int32(step)) == 1 else {
                return false
            }
            written += Int(produced)
        }
        // The tag is only read (EVP_CTRL_GCM_SET_TAG copies it); the cast drops const.
        let tag = UnsafeMutableRawPointer(mutating: input + bodyLength)
        guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, Int32(AESGCM.tagLength), tag) == 1 else {
            return false
        }
        var final: Int32 = 0
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { scratch in
            EVP_DecryptFinal_ex(ctx, scratch.baseAddress, &final) == 1
        }
    }
}
