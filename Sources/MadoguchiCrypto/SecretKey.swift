// SecretKey: key bytes that are wiped (OPENSSL_cleanse) when released.
// SECURITY: never print or log a SecretKey; `description` is redacted.

import COpenSSL

/// Immutable secret key material, zeroed on release.
///
/// `@unchecked Sendable`: the buffer is written once in `init` and only read
/// afterwards; `deinit` runs when no other reference exists.
public final class SecretKey: @unchecked Sendable, CustomStringConvertible {
    private let storage: UnsafeMutableRawBufferPointer

    /// Copies `bytes` into protected storage.
    public init(_ bytes: [UInt8]) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        storage.copyBytes(from: bytes)
        count = bytes.count
    }

    /// Generates `count` random bytes of key.
    /// - Throws: `CryptoError` if the generator fails.
    public static func random(count: Int = 32) throws -> SecretKey {
        var bytes = try SecureRandom.bytes(count)
        defer { cleanse(&bytes) }
        return SecretKey(bytes)
    }

    /// Number of key bytes.
    public let count: Int

    /// Calls `body` with the raw key bytes.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
    }

    /// A copy of the key bytes (for wrapping or writing a key file). Wipe it after use.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    public var description: String { "SecretKey(\(count) bytes, redacted)" }

    deinit {
        OPENSSL_cleanse(storage.baseAddress, storage.count)
        storage.deallocate()
    }

    /// Overwrites a byte array with zeros in a way the optimiser keeps.
    public static func cleanse(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
    }
}
