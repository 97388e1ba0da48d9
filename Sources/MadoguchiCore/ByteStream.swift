// ByteStream: a byte stream with blocking reads and writes, a plain SocketConnection or
// a TLSConnection, so the protocol sessions need not know which.

/// A byte stream with blocking reads and writes (plain socket or TLS).
public protocol ByteStream: AnyObject {
    /// Reads up to `buffer.count` bytes; returns 0 at end of stream.
    /// - Throws: `NetworkError` on timeout or failure.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Writes all bytes.
    /// - Throws: `NetworkError` on timeout or failure.
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension ByteStream {
    /// Writes all bytes of an array.
    /// - Throws: `NetworkError`.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Writes a string as UTF-8.
    /// - Throws: `NetworkError`.
    public func write(_ text: String) throws {
        try write(Array(text.utf8))
    }
}
