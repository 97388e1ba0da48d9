// Ed25519: signing keys for audit-log checkpoints (madoguchi-security(7) AUDIT LOG), through
// EVP_DigestSign/EVP_DigestVerify (pure Ed25519, no pre-hash).
// Key files: `madoguchi-audit-signing-key v1 <base64 seed>` (0600, refused if readable by
// others) and `madoguchi-audit-verify-key v1 <base64>` (0644).
// SECURITY: the private key is a 32-byte seed kept in a SecretKey.

import COpenSSL

/// An Ed25519 public key.
public struct Ed25519PublicKey: PublicKeyFile, Sendable, Equatable {
    /// The 32-byte encoded point.
    public let rawRepresentation: [UInt8]

    /// Wraps raw bytes.
    /// - Throws: `CryptoError.malformed` unless 32 bytes.
    public init(rawRepresentation: [UInt8]) throws {
        guard rawRepresentation.count == 32 else { throw CryptoError.malformed("Ed25519 public key") }
        self.rawRepresentation = rawRepresentation
    }

    /// The record tag of the public key file.
    public static let fileTag = "madoguchi-audit-verify-key"
    /// The comment line of the public key file.
    public static let fileComment = "Madoguchi audit checkpoint verification key (Ed25519)."

    /// Checks a signature.
    /// - Returns: true only for a valid 64-byte signature of `message` by this key.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64,
            let key = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, rawRepresentation, 32)
        else {
            ERR_clear_error()
            return false
        }
        defer { EVP_PKEY_free(key) }
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        let valid =
            EVP_DigestVerifyInit_ex(ctx, nil, nil, nil, nil, key, nil) == 1
            && EVP_DigestVerify(ctx, signature, signature.count, message, message.count) == 1
        ERR_clear_error()
        return valid
    }
}

/// An Ed25519 signing key.
public struct Ed25519PrivateKey: Sendable {
    /// The 32-byte seed (write it to a 0600 key file; never log it).
    public let seed: SecretKey
    /// The matching public key.
    public let publicKey: Ed25519PublicKey

    /// Imports a 32-byte seed (RFC 8032 private key).
    /// - Throws: `CryptoError.malformed` unless 32 bytes, `.library` on failure.
    public init(seed: SecretKey) throws {
        guard seed.count == 32 else { throw CryptoError.malformed("Ed25519 private key") }
        self.seed = seed
        publicKey = try Ed25519PublicKey(
            rawRepresentation: PrivateKeyHandle(rawPrivate: seed, algorithm: "ED25519").rawPublic())
    }

    /// Generates a new key.
    /// - Throws: `CryptoError.library`.
    public static func generate() throws -> Ed25519PrivateKey {
        try Ed25519PrivateKey(seed: PrivateKeyHandle.generate(algorithm: "ED25519").rawPrivate())
    }

    /// The record tag of the private key file.
    public static let fileTag = "madoguchi-audit-signing-key"

    /// Loads a private key file.
    /// - Throws: `KeyFileError.insecurePermissions` for a group/world-writable or
    ///   world-readable file, other `KeyFileError`s, `SystemError`.
    public static func load(path: String) throws -> Ed25519PrivateKey {
        try Ed25519PrivateKey(seed: KeyFile.readSingle(path: path, tag: fileTag, secret: true))
    }

    /// Writes the private key file with mode 0600.
    /// - Throws: `SystemError`.
    public func write(to path: String, replace: Bool = false) throws {
        try KeyFile.writeSingle(
            tag: Ed25519PrivateKey.fileTag, comment: "Madoguchi audit checkpoint signing key (Ed25519). Mode 0600.",
            key: seed, to: path, mode: 0o600, replace: replace)
    }

    /// Signs a message.
    /// - Returns: the 64-byte signature.
    /// - Throws: `CryptoError.library`.
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        let key = try PrivateKeyHandle(rawPrivate: seed, algorithm: "ED25519")
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError.openssl("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit_ex(ctx, nil, nil, nil, nil, key.pkey, nil) == 1 else {
            throw CryptoError.openssl("EVP_DigestSignInit_ex")
        }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = signature.count
        guard EVP_DigestSign(ctx, &signature, &length, message, message.count) == 1, length == 64 else {
            throw CryptoError.openssl("EVP_DigestSign")
        }
        return signature
    }
}
