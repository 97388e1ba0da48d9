// HKDF: HKDF-SHA256 (RFC 5869) through OpenSSL's EVP_KDF "HKDF", used to derive
// every purpose-specific sub-key from a data key or the master key.
// SECURITY: derived keys are returned as SecretKey and the output buffer is cleansed.

import COpenSSL

/// HKDF-SHA256 extract-and-expand.
public enum HKDF {
    /// The longest output HKDF-SHA256 can produce (255 × 32 bytes).
    public static let maximumLength = 255 * 32

    /// `nonisolated(unsafe)`: fetched once; EVP_KDF objects are immutable and thread-safe.
    nonisolated(unsafe) private static let kdf: OpaquePointer? = EVP_KDF_fetch(nil, "HKDF", nil)

    /// Derives `length` bytes of key from `key` with HKDF-SHA256.
    /// - Parameters:
    ///   - key: the input keying material.
    ///   - salt: the extract salt (may be empty: RFC 5869 then uses 32 zero bytes).
    ///   - info: the context label binding the output to one purpose (may be empty).
    ///   - length: bytes of output, 1...8160.
    /// - Returns: the output keying material.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public static func derive(key: SecretKey, salt: [UInt8], info: [UInt8], length: Int) throws -> SecretKey {
        var output = try deriveBytes(key: key, salt: salt, info: info, length: length)
        defer { SecretKey.cleanse(&output) }
        return SecretKey(output)
    }

    /// Like `derive` but returns plain bytes; the caller must cleanse them.
    static func deriveBytes(key: SecretKey, salt: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        precondition(length > 0 && length <= maximumLength, "HKDF output length out of range")
        guard let ctx = EVP_KDF_CTX_new(kdf) else { throw CryptoError.openssl("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(ctx) }
        let params = ParameterList()
        params.utf8("digest", "SHA256")
        key.withUnsafeBytes { params.octets("key", $0) }
        if !salt.isEmpty { params.octets("salt", salt) }
        if !info.isEmpty { params.octets("info", info) }
        var output = [UInt8](repeating: 0, count: length)
        let ok = params.withParameters { list in
            EVP_KDF_derive(ctx, &output, length, list)
        }
        guard ok == 1 else { throw CryptoError.openssl("EVP_KDF_derive(HKDF)") }
        return output
    }
}
