// LineReader: buffered reading of a protocol stream as lines and exact-size
// chunks, for POP3 and IMAP. SECURITY: lines are capped, literals are streamed in
// fixed-size chunks (never allocated from an announced size), and a whole-session
// deadline is checked before every read so a slow-drip server cannot hold us (B3).

import MadoguchiCore

/// A buffered reader over a `ByteStream`.
public final class LineReader {
    /// The stream read from; replaced after a STARTTLS upgrade.
    public var stream: any ByteStream
    /// The longest line `readLine` accepts, terminator included.
    public let maxLineLength: Int
    /// Monotonic time (see `Monotonic.now()`) after which reads fail; `.infinity` for none.
    public var deadline: Double

    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private static let chunkSize = 16 * 1024

    /// Creates a reader.
    /// - Parameters:
    ///   - stream: the connection.
    ///   - maxLineLength: longest accepted line in bytes (CRLF included).
    ///   - deadline: monotonic deadline for the whole session.
    public init(stream: any ByteStream, maxLineLength: Int, deadline: Double = .infinity) {
        self.stream = stream
        self.maxLineLength = max(maxLineLength, 512)
        self.deadline = deadline
        buffer = [UInt8](repeating: 0, count: max(self.maxLineLength, LineReader.chunkSize) + LineReader.chunkSize)
    }

    /// Drops everything buffered (used after STARTTLS: plaintext sent before the
    /// handshake must never be read as if it came over TLS).
    /// - Returns: how many bytes were dropped.
    @discardableResult
    public func discardBuffered() -> Int {
        let dropped = end - start
        start = 0
        end = 0
        return dropped
    }

    /// Reads one line and strips its CRLF (or bare LF).
    /// - Throws: `FetchError.protocolViolation` when longer than `maxLineLength`;
    ///   `NetworkError` on timeout, deadline or end of stream.
    public func readLine() throws -> [UInt8] {
        let (line, complete) = try readLineChunk(limit: maxLineLength)
        guard complete else { throw FetchError.protocolViolation("line longer than \(maxLineLength) bytes") }
        var end = line.endIndex - 1
        if end > line.startIndex && line[end - 1] == 0x0D { end -= 1 }
        return Array(line[line.startIndex..<end])
    }

    /// Reads up to the next LF (included) or at most `limit` bytes of a longer line.
    /// - Returns: the bytes and whether they end the line (end with LF).
    /// - Throws: `NetworkError` on timeout, deadline or end of stream.
    public func readLineChunk(limit: Int) throws -> (bytes: ArraySlice<UInt8>, complete: Bool) {
        let cap = max(1, min(limit, buffer.count - LineReader.chunkSize))
        var scanned = 0
        while true {
            let available = end - start
            let window = min(available, cap)
            if let newline = buffer[(start + scanned)..<(start + window)].firstIndex(of: 0x0A) {
                let line = buffer[start...newline]
                start = newline + 1
                return (line, true)
            }
            if window >= cap {
                let line = buffer[start..<(start + cap)]
                start += cap
                return (line, false)
            }
            scanned = window
            try fill()
        }
    }

    /// Reads exactly `count` bytes and passes them to `sink` in chunks.
    /// - Throws: `NetworkError` on timeout, deadline or end of stream; whatever `sink` throws.
    public func readExact(_ count: Int, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var left = count
        while left > 0 {
            if end == start { try fill() }
            let take = min(left, end - start)
            try buffer.withUnsafeBytes { raw in
                try sink(UnsafeRawBufferPointer(rebasing: raw[start..<(start + take)]))
            }
            start += take
            left -= take
        }
    }

    /// Reads more bytes from the stream into the buffer.
    private func fill() throws {
        if Monotonic.now() >= deadline { throw NetworkError.timedOut("session deadline reached") }
        if start > 0 {
            if start < end {
                buffer.withUnsafeMutableBytes { raw in
                    let base = raw.baseAddress!
                    (base).copyMemory(from: base + start, byteCount: end - start)
                }
            }
            end -= start
            start = 0
        }
        let room = buffer.count - end
        precondition(room > 0, "LineReader buffer full")
        let stream = self.stream
        let offset = end
        let n = try buffer.withUnsafeMutableBytes { raw in
            try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + room)]))
        }
        if n == 0 { throw NetworkError.closed("end of stream") }
        end += n
    }
}
