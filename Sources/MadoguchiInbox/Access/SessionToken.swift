// SessionToken: the 256-bit secret a browser holds in its `__Host-` cookie, as 43
// base64url characters, and the SHA-256 the database keeps instead of it
// (madoguchi-security(7) E1, E2).
// SECURITY: the token exists in clear only in the login answer and the cookie.

import Foundation
import MadoguchiCrypto

/// Session token encoding and hashing.
public enum SessionToken {
    /// Random bytes in a token.
    public static let byteCount = 32
    /// Characters of the encoded token.
    public static let encodedLength = 43

    /// A new token and its hash.
    /// - Throws: `CryptoError` when the random generator fails.
    static func generate() throws -> (token: String, hash: [UInt8]) {
        var bytes = try SecureRandom.bytes(byteCount)
        defer { SecretKey.cleanse(&bytes) }
        return (encode(bytes), SHA256Hasher.hash(bytes))
    }

    /// The stored hash of an encoded token, or nil when `token` is not 43 base64url
    /// characters (nothing is looked up for it).
    public static func hash(_ token: String) -> [UInt8]? {
        guard token.utf8.count == encodedLength, var bytes = decode(token) else { return nil }
        defer { SecretKey.cleanse(&bytes) }
        return SHA256Hasher.hash(bytes)
    }

    /// The audit log's reference to a session: the first 8 bytes of its token hash in hex.
    static func reference(_ hash: [UInt8]) -> String {
        Hex.encode(hash.prefix(8))
    }

    /// base64url without padding (RFC 4648 section 5).
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.allSatisfy({ isAlphabet($0) }) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        guard let data = Data(base64Encoded: standard), data.count == byteCount else { return nil }
        return Array(data)
    }

    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
