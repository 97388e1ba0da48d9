// SearchTokenizer: turns normalised bigrams into blind search tokens for the
// contentless FTS5 index (madoguchi-security(7) SEARCH INDEX):
// token = hex(first 8 bytes of HMAC-SHA256(k_field_mailbox, "v1|" + field + "|" + bigram_utf8)).
// SECURITY: the key is per mailbox and field (KeyPurpose.searchIndex); tokens leak frequencies.

/// Computes search tokens for one mailbox/field key. Keeps one keyed HMAC context
/// and is meant to be called for every bigram of every message. Not thread-safe.
public final class SearchTokenizer {
    /// Bytes of the HMAC kept per token.
    public static let tokenBytes = 8
    /// Hex characters per token.
    public static let tokenLength = tokenBytes * 2

    private let context: HMACContext
    private let prefix: [UInt8]
    private var scratch = [UInt8](repeating: 0, count: HMAC.sha256Length)
    private static let digits = Array("0123456789abcdef".utf8)

    /// Creates a tokenizer.
    /// - Parameters:
    ///   - key: the search key of one mailbox and field (`KeyRing.searchKey(mailbox:field:)`).
    ///   - field: the field name bound into every token (e.g. `subject`, `body`).
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public init(key: SecretKey, field: String) throws {
        context = try HMACContext(key: key)
        prefix = Array("v1|\(field)|".utf8)
    }

    /// Appends the 16 hex characters of the token of one bigram (given as UTF-8) to `output`.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public func appendToken(utf8 bigram: UnsafeRawBufferPointer, to output: inout [UInt8]) throws {
        try prefix.withUnsafeBytes { head in
            try scratch.withUnsafeMutableBufferPointer { mac in
                try context.authenticate(head, bigram, into: mac.baseAddress!)
            }
        }
        for index in 0..<SearchTokenizer.tokenBytes {
            let byte = scratch[index]
            output.append(SearchTokenizer.digits[Int(byte >> 4)])
            output.append(SearchTokenizer.digits[Int(byte & 0x0F)])
        }
    }

    /// The token of one bigram.
    /// - Returns: 16 lower-case hex characters.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public func token<S: StringProtocol>(_ bigram: S) throws -> String {
        var output = [UInt8]()
        output.reserveCapacity(SearchTokenizer.tokenLength)
        var text = String(bigram)
        try text.withUTF8 { try appendToken(utf8: UnsafeRawBufferPointer($0), to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The tokens of many bigrams, space-separated, as stored in an FTS5 column or
    /// used (joined with AND) in a query.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public func indexText<S: Sequence>(_ bigrams: S) throws -> String where S.Element: StringProtocol {
        var output = [UInt8]()
        output.reserveCapacity(bigrams.underestimatedCount * (SearchTokenizer.tokenLength + 1))
        for bigram in bigrams {
            if !output.isEmpty { output.append(0x20) }
            var text = String(bigram)
            try text.withUTF8 { try appendToken(utf8: UnsafeRawBufferPointer($0), to: &output) }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
