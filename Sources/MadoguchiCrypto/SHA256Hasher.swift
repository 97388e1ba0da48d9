// SHA256Hasher: SHA-256 through OpenSSL EVP (one-shot and streaming).

import COpenSSL

/// SHA-256 hashing.
public final class SHA256Hasher {
    /// Digest length in bytes.
    public static let length = 32

    private let ctx: OpaquePointer
    private var finished = false

    /// `nonisolated(unsafe)`: fetched once; EVP_MD objects are immutable and thread-safe.
    nonisolated(unsafe) private static let md: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    /// Starts a streaming hash.
    public init() {
        guard let ctx = EVP_MD_CTX_new(), EVP_DigestInit_ex2(ctx, SHA256Hasher.md, nil) == 1 else {
            preconditionFailure("EVP SHA-256 unavailable")
        }
        self.ctx = ctx
    }

    /// Adds bytes.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count > 0 { EVP_DigestUpdate(ctx, bytes.baseAddress, bytes.count) }
    }

    /// Adds bytes.
    public func update<C: CryptoInput>(_ bytes: C) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finishes and returns the 32-byte digest; the hasher must not be used again.
    public func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: SHA256Hasher.length)
        var length: UInt32 = 0
        precondition(!finished, "SHA256Hasher finalized twice")
        finished = true
        EVP_DigestFinal_ex(ctx, &out, &length)
        return out
    }

    deinit {
        EVP_MD_CTX_free(ctx)
    }

    /// One-shot SHA-256.
    public static func hash<C: CryptoInput>(_ bytes: C) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        bytes.withUnsafeBytes { raw in
            var size = 0
            _ = EVP_Q_digest(nil, "SHA256", nil, raw.baseAddress, raw.count, &out, &size)
        }
        return out
    }
}
