// HMAC: HMAC-SHA256 through OpenSSL's EVP_MAC "HMAC", one-shot and as a reusable
// keyed context (HMACSHA256) for hot loops such as search tokens.
// SECURITY: compare MACs only with ConstantTime.equals.

import COpenSSL

/// One-shot HMAC-SHA256.
public enum HMAC {
    /// Output length in bytes.
    public static let sha256Length = 32

    /// `nonisolated(unsafe)`: fetched once; EVP_MAC objects are immutable and thread-safe.
    nonisolated(unsafe) static let mac: OpaquePointer? = EVP_MAC_fetch(nil, "HMAC", nil)

    /// Computes HMAC-SHA256(key, data).
    /// - Parameters:
    ///   - key: the MAC key (any length).
    ///   - data: the message.
    /// - Returns: the 32-byte MAC.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public static func sha256<D: ContiguousBytes>(key: SecretKey, data: D) throws -> [UInt8] {
        let context = try HMACSHA256(key: key)
        return try data.withUnsafeBytes { try context.authenticate($0) }
    }

    /// Computes HMAC-SHA256(key, UTF-8 of text).
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public static func sha256(key: SecretKey, text: String) throws -> [UInt8] {
        try sha256(key: key, data: Array(text.utf8))
    }
}

/// A keyed HMAC-SHA256 context that computes many MACs with one key without
/// re-keying. Not thread-safe: use one per thread.
public final class HMACSHA256 {
    private let ctx: OpaquePointer

    /// Keys a new context.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public init(key: SecretKey) throws {
        guard let ctx = EVP_MAC_CTX_new(HMAC.mac) else { throw CryptoError.openssl("EVP_MAC_CTX_new") }
        let params = ParameterList()
        params.utf8("digest", "SHA256")
        let ok = key.withUnsafeBytes { keyBytes in
            params.withParameters { list in
                // A zero-length key still needs a non-null pointer to count as "set".
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { empty in
                    EVP_MAC_init(
                        ctx,
                        keyBytes.count > 0
                            ? keyBytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
                            : UnsafePointer(empty.baseAddress!), keyBytes.count, list)
                }
            }
        }
        guard ok == 1 else {
            EVP_MAC_CTX_free(ctx)
            throw CryptoError.openssl("EVP_MAC_init(HMAC)")
        }
        self.ctx = ctx
    }

    deinit {
        EVP_MAC_CTX_free(ctx)
    }

    /// Computes the MAC of `first ‖ second` and writes it (32 bytes) to `output`.
    /// Two parts so a fixed prefix need not be copied in front of each message.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    func authenticate(
        _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>
    ) throws {
        // EVP_MAC_init with a null key restarts HMAC with the key already set.
        guard EVP_MAC_init(ctx, nil, 0, nil) == 1 else { throw CryptoError.openssl("EVP_MAC_init") }
        try update(first)
        try update(second)
        var written = 0
        guard EVP_MAC_final(ctx, output, &written, HMAC.sha256Length) == 1, written == HMAC.sha256Length else {
            throw CryptoError.openssl("EVP_MAC_final")
        }
    }

    private func update(_ part: UnsafeRawBufferPointer) throws {
        guard part.count > 0 else { return }
        guard EVP_MAC_update(ctx, part.baseAddress!.assumingMemoryBound(to: UInt8.self), part.count) == 1 else {
            throw CryptoError.openssl("EVP_MAC_update")
        }
    }

    /// Computes HMAC-SHA256 of `data` with this context's key.
    /// - Returns: the 32-byte MAC.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public func authenticate(_ data: UnsafeRawBufferPointer) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: HMAC.sha256Length)
        try output.withUnsafeMutableBufferPointer { out in
            try authenticate(data, UnsafeRawBufferPointer(start: nil, count: 0), into: out.baseAddress!)
        }
        return output
    }

    /// Computes HMAC-SHA256 of `data` with this context's key.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public func authenticate<D: ContiguousBytes>(_ data: D) throws -> [UInt8] {
        try data.withUnsafeBytes { try authenticate($0) }
    }
}
