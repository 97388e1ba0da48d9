// Ed25519PublicKey: the verification key of the audit-log checkpoints (madoguchi-security(7)
// AUDIT LOG), pure Ed25519 of RFC 8032 through EVP_DigestVerify, no pre-hash.
// File: `madoguchi-audit-verify-key v1 <base64>` (0644). Tested against RFC 8032 section 7.1
// in Ed25519Tests.

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
