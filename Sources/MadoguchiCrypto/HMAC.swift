// HMAC: one-shot HMAC through OpenSSL's EVP_MAC "HMAC" — SHA-256 for Madoguchi's own
// MACs (blind index, search tokens, pepper), SHA-1/SHA-512 for RFC 6238 TOTP.
// SECURITY: compare MACs only with ConstantTime.equals.

import COpenSSL

/// One-shot HMAC.
public enum HMAC {
    /// The hash functions HMAC is offered with.
    public enum Digest: Sendable, Equatable {
        /// SHA-1 (only for TOTP/HOTP interoperability, RFC 4226/6238).
        case sha1
        /// SHA-256, the default everywhere else.
        case sha256
        /// SHA-512.
        case sha512

        /// The OpenSSL digest name.
        var name: String {
            switch self {
            case .sha1: "SHA1"
            case .sha256: "SHA256"
            case .sha512: "SHA512"
            }
        }

        /// MAC length in bytes.
        public var length: Int {
            switch self {
            case .sha1: 20
            case .sha256: 32
            case .sha512: 64
            }
        }
    }

    /// HMAC-SHA256 output length in bytes.
    public static let sha256Length = 32

    /// `nonisolated(unsafe)`: fetched once; EVP_MAC objects are immutable and thread-safe.
    nonisolated(unsafe) static let mac: OpaquePointer? = EVP_MAC_fetch(nil, "HMAC", nil)

    /// Computes HMAC-SHA256(key, data).
    /// - Parameters:
    ///   - key: the MAC key (any length).
    ///   - data: the message.
    /// - Returns: the 32-byte MAC.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public static func sha256<D: CryptoInput>(key: SecretKey, data: D) throws -> [UInt8] {
        try authenticate(.sha256, key: key, data: data)
    }

    /// Computes HMAC-SHA256(key, UTF-8 of text).
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public static func sha256(key: SecretKey, text: String) throws -> [UInt8] {
        try sha256(key: key, data: Array(text.utf8))
    }

    /// Computes HMAC with any offered digest.
    /// - Returns: `digest.length` bytes.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public static func authenticate<D: CryptoInput>(_ digest: Digest, key: SecretKey, data: D) throws -> [UInt8] {
        let context = try HMACContext(key: key, digest: digest)
        return try data.withUnsafeBytes { try context.authenticate($0) }
    }
}
