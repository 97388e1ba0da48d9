// SessionToken: the 256-bit secret a browser holds in its `__Host-` cookie, as 43
// base64url characters, and the SHA-256 the database keeps instead of it
// (madoguchi-security(7) E1, E2).
// SECURITY: the token exists in clear only in the login answer and the cookie.

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

    /// base64url without padding (RFC 4648 section 5), written directly: every page
    /// encodes its CSRF token, and three Foundation replacements per token were a
    /// twentieth of the inquiry page's CPU time.
    static func encode(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var group = UInt32(bytes[index]) << 16
            if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { group |= UInt32(bytes[index + 2]) }
            for position in 0...count { text.append(alphabet[Int(group >> (18 - 6 * position) & 0x3F)]) }
            index += 3
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of unpadded base64url text; the unused low bits of the last
    /// character are ignored, as Foundation's decoder ignores them.
    private static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        var group: UInt32 = 0
        var bits = 0
        for character in text.utf8 {
            guard let value = value(of: character) else { return nil }
            group = group << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: group >> UInt32(bits)))
            }
        }
        // A single character left over (length 1 mod 4) is no encoding at all.
        guard bits < 6, bytes.count == byteCount else { return nil }
        return bytes
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
