// CustomerAddress: how a sender address becomes the key that identifies a customer:
// normalisation, then a full-length HMAC blind index (madoguchi-security(7), SEARCH INDEX
// and KEYS: HKDF "addr|<k>").
// SECURITY: only the blind index is searchable; the address itself is stored sealed.

import MadoguchiCrypto

/// Normalisation and blind index of customer addresses.
public enum CustomerAddress {
    /// The normal form of an address: NFKC (full-width `ＴＡＲＯ＠ｅｘａｍｐｌｅ．ｊｐ`
    /// becomes ASCII), surrounding white space and angle brackets removed, and the whole
    /// address lower-cased — the local part too: RFC 5321 lets it be case-sensitive, but
    /// no real mail system treats `Taro@` and `taro@` as two people, and two customers
    /// are worse than one.
    /// - Returns: the normal form, or nil if nothing is left.
    public static func normalize(_ address: String) -> String? {
        var text = NFKC.normalize(address).trimmingWhitespace()
        if text.hasPrefix("<") && text.hasSuffix(">") && text.count >= 2 {
            text = String(text.dropFirst().dropLast()).trimmingWhitespace()
        }
        let folded = text.lowercased()
        return folded.isEmpty ? nil : folded
    }

    /// The 32-byte blind index stored in `customers.address_index`.
    /// - Returns: nil for an address that normalises to nothing.
    /// - Throws: `CryptoError` from the key ring.
    public static func blindIndex(_ address: String, keys: KeyRing) throws -> [UInt8]? {
        guard let normal = normalize(address) else { return nil }
        return try keys.blindIndex(normal)
    }
}
