// HMACContext: a keyed EVP_MAC context reused for many messages (search tokens call
// it for every bigram of every message), re-initialised without re-keying.

import COpenSSL

/// A keyed HMAC context that computes many MACs with one key. Not thread-safe:
/// use one per thread.
public final class HMACContext {
    private let ctx: OpaquePointer
    /// The digest this context uses.
    public let digest: HMAC.Digest

    /// Keys a new context.
    /// - Parameters:
    ///   - key: the MAC key (any length, including empty).
    ///   - digest: the hash function; default SHA-256.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public init(key: SecretKey, digest: HMAC.Digest = .sha256) throws {
        guard let ctx = EVP_MAC_CTX_new(HMAC.mac) else { throw CryptoError.openssl("EVP_MAC_CTX_new") }
        let params = ParameterList()
        params.utf8("digest", digest.name)
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
        self.digest = digest
    }

    deinit {
        EVP_MAC_CTX_free(ctx)
    }

    /// Computes the MAC of `first ‖ second` and writes it (`digest.length` bytes) to `output`.
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
        guard EVP_MAC_final(ctx, output, &written, digest.length) == 1, written == digest.length else {
            throw CryptoError.openssl("EVP_MAC_final")
        }
    }

    private func update(_ part: UnsafeRawBufferPointer) throws {
        guard part.count > 0 else { return }
        guard EVP_MAC_update(ctx, part.baseAddress!.assumingMemoryBound(to: UInt8.self), part.count) == 1 else {
            throw CryptoError.openssl("EVP_MAC_update")
        }
    }

    /// Computes the MAC of `data` with this context's key.
    /// - Returns: `digest.length` bytes.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public func authenticate(_ data: UnsafeRawBufferPointer) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: digest.length)
        try output.withUnsafeMutableBufferPointer { out in
            try authenticate(data, UnsafeRawBufferPointer(start: nil, count: 0), into: out.baseAddress!)
        }
        return output
    }

    /// Computes the MAC of `data` with this context's key.
    /// - Throws: `CryptoError.library` if OpenSSL fails.
    public func authenticate<D: CryptoInput>(_ data: D) throws -> [UInt8] {
        try data.withUnsafeBytes { try authenticate($0) }
    }
}
