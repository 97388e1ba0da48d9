// Digest: SHA-256 through OpenSSL EVP (one-shot and streaming), and hex encoding.

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
    public func update<C: ContiguousBytes>(_ bytes: C) {
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
    public static func hash<C: ContiguousBytes>(_ bytes: C) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        bytes.withUnsafeBytes { raw in
            var size = 0
            _ = EVP_Q_digest(nil, "SHA256", nil, raw.baseAddress, raw.count, &out, &size)
        }
        return out
    }
}

/// The contiguous-bytes capability used by the hashing and MAC APIs.
public protocol ContiguousBytes {
    /// Calls `body` with the bytes.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytes where Element == UInt8 {}
extension ArraySlice: ContiguousBytes where Element == UInt8 {}

/// Lower-case hexadecimal encoding.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Encodes bytes as lower-case hex.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case); nil if malformed.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = value(chars[index]), let low = value(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
}
