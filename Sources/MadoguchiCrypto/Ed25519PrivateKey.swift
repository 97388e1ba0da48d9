// Ed25519PrivateKey: the signing key of the audit-log checkpoints (madoguchi-security(7)
// AUDIT LOG), pure Ed25519 of RFC 8032 through EVP_DigestSign, no pre-hash.
// File: `madoguchi-audit-signing-key v1 <base64 seed>` (0600). SECURITY: the seed is kept in
// a SecretKey; its file is refused when group/world-writable or world-readable.

import COpenSSL

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
