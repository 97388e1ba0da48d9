// SHA256Hasher: one-shot SHA-256 through OpenSSL EVP (EVP_Q_digest). Every caller hashes
// a whole value at once (attachments, audit chain links, spool names), so there is no
// streaming interface.

import COpenSSL

/// SHA-256 hashing.
public enum SHA256Hasher {
    /// Digest length in bytes.
    public static let length = 32

    /// One-shot SHA-256.
    /// - Returns: the 32-byte digest.
    public static func hash<C: CryptoInput>(_ bytes: C) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let status = bytes.withUnsafeBytes { raw in
            var size = 0
            return EVP_Q_digest(nil, "SHA256", nil, raw.baseAddress, raw.count, &out, &size)
        }
        precondition(status == 1, "EVP SHA-256 unavailable")
        return out
    }
}
