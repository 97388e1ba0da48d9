// SecureRandom: bytes from OpenSSL's CSPRNG (RAND_bytes). Used for keys, nonces,
// salts and session tokens.

import COpenSSL

/// Cryptographically secure random bytes.
public enum SecureRandom {
    /// Returns `count` random bytes.
    /// - Throws: `CryptoError.library` if the generator fails (it should not).
    public static func bytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try fill(&out)
        return out
    }

    /// Fills a buffer with random bytes.
    /// - Throws: `CryptoError.library` if the generator fails.
    public static func fill(_ buffer: inout [UInt8]) throws {
        if buffer.isEmpty { return }
        let ok = buffer.withUnsafeMutableBytes {
            RAND_bytes($0.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32($0.count))
        }
        guard ok == 1 else { throw CryptoError.openssl("RAND_bytes") }
    }
}
