// PrivateKeyHandle: owns one OpenSSL EVP_PKEY (X25519, Ed25519 or EC) for the duration
// of an operation: generation, raw import/export, key agreement.
// SECURITY: raw private bytes are returned in arrays the caller must cleanse.

import COpenSSL

/// An owned `EVP_PKEY`. Used from one thread; freed in `deinit`.
final class PrivateKeyHandle {
    let pkey: OpaquePointer

    init(owning pkey: OpaquePointer) {
        self.pkey = pkey
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// Generates a key of an algorithm without parameters (`X25519`, `ED25519`).
    /// - Throws: `CryptoError.library`.
    static func generate(algorithm: String) throws -> PrivateKeyHandle {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else {
            throw CryptoError.openssl("EVP_PKEY_CTX_new_from_name(\(algorithm))")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_generate(ctx, &pkey) == 1, let pkey else {
            throw CryptoError.openssl("EVP_PKEY_generate(\(algorithm))")
        }
        return PrivateKeyHandle(owning: pkey)
    }

    /// Generates an EC key on a named curve (`P-256`).
    /// - Throws: `CryptoError.library`.
    static func generateEC(curve: String) throws -> PrivateKeyHandle {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw CryptoError.openssl("EVP_PKEY_CTX_new_from_name(EC)")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_CTX_set_group_name(ctx, curve) == 1,
            EVP_PKEY_generate(ctx, &pkey) == 1, let pkey
        else { throw CryptoError.openssl("EVP_PKEY_generate(EC \(curve))") }
        return PrivateKeyHandle(owning: pkey)
    }

    /// Imports a raw private key.
    /// - Throws: `CryptoError.library` (e.g. wrong length).
    convenience init(rawPrivate key: SecretKey, algorithm: String) throws {
        let pkey = key.withUnsafeBytes {
            EVP_PKEY_new_raw_private_key_ex(
                nil, algorithm, nil, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), $0.count)
        }
        guard let pkey else { throw CryptoError.openssl("EVP_PKEY_new_raw_private_key_ex(\(algorithm))") }
        self.init(owning: pkey)
    }

    /// Imports a raw public key.
    /// - Throws: `CryptoError.library` (e.g. wrong length).
    convenience init(rawPublic bytes: [UInt8], algorithm: String) throws {
        guard let pkey = EVP_PKEY_new_raw_public_key_ex(nil, algorithm, nil, bytes, bytes.count) else {
            throw CryptoError.openssl("EVP_PKEY_new_raw_public_key_ex(\(algorithm))")
        }
        self.init(owning: pkey)
    }

    /// The raw public key (32 bytes for X25519/Ed25519).
    /// - Throws: `CryptoError.library`.
    func rawPublic() throws -> [UInt8] {
        var length = 0
        guard EVP_PKEY_get_raw_public_key(pkey, nil, &length) == 1 else {
            throw CryptoError.openssl("EVP_PKEY_get_raw_public_key")
        }
        var out = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_public_key(pkey, &out, &length) == 1 else {
            throw CryptoError.openssl("EVP_PKEY_get_raw_public_key")
        }
        return Array(out.prefix(length))
    }

    /// The raw private key.
    /// - Throws: `CryptoError.library`.
    func rawPrivate() throws -> SecretKey {
        var length = 0
        guard EVP_PKEY_get_raw_private_key(pkey, nil, &length) == 1 else {
            throw CryptoError.openssl("EVP_PKEY_get_raw_private_key")
        }
        var out = [UInt8](repeating: 0, count: length)
        defer { SecretKey.cleanse(&out) }
        guard EVP_PKEY_get_raw_private_key(pkey, &out, &length) == 1 else {
            throw CryptoError.openssl("EVP_PKEY_get_raw_private_key")
        }
        return SecretKey(Array(out.prefix(length)))
    }

    /// Diffie–Hellman agreement with a peer's public key.
    /// - Returns: the shared secret (caller cleanses).
    /// - Throws: `CryptoError.library`, e.g. for a low-order peer key (all-zero secret).
    func agree(with peer: PrivateKeyHandle) throws -> [UInt8] {
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else {
            throw CryptoError.openssl("EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var length = 0
        guard EVP_PKEY_derive_init(ctx) == 1, EVP_PKEY_derive_set_peer(ctx, peer.pkey) == 1,
            EVP_PKEY_derive(ctx, nil, &length) == 1
        else { throw CryptoError.openssl("EVP_PKEY_derive") }
        var secret = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_derive(ctx, &secret, &length) == 1, length == secret.count else {
            SecretKey.cleanse(&secret)
            throw CryptoError.openssl("EVP_PKEY_derive")
        }
        return secret
    }
}
