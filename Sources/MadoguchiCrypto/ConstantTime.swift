// ConstantTime: comparison of secrets (MACs, password hashes, tokens) whose running
// time does not depend on where the inputs first differ (CRYPTO_memcmp).

import COpenSSL

/// Constant-time operations on secret bytes.
public enum ConstantTime {
    /// Compares two byte strings in time independent of their contents.
    /// Lengths are not secret: different lengths return false at once.
    /// - Returns: true when both have the same length and the same bytes.
    public static func equals<A: CryptoInput, B: CryptoInput>(_ a: A, _ b: B) -> Bool {
        a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                guard left.count == right.count else { return false }
                if left.count == 0 { return true }
                return CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
