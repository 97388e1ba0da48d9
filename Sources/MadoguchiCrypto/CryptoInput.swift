// CryptoInput: the bytes that SHA-256, HMAC and constant-time comparison read, byte
// arrays and slices alike, without copying. Named apart from Foundation's
// ContiguousBytes, which a protocol of that name would shadow.

/// Contiguous bytes that the hashing, MAC and comparison APIs can read in place.
public protocol CryptoInput {
    /// Calls `body` with the bytes.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: CryptoInput where Element == UInt8 {}

extension ArraySlice: CryptoInput where Element == UInt8 {}
