// SMTPMessageData: checks a message before DATA and writes it dot-stuffed (RFC 5321
// 4.5.2) in large blocks. SECURITY: the bytes must already be CRLF lines; a bare CR,
// a bare LF or NUL is refused, never repaired, so no `\n.\r\n` or `\r.\r` can end
// the data early at a relay that reads line ends loosely (SMTP smuggling, C4).

/// A message checked for SMTP DATA.
struct SMTPMessageData {
    /// The longest line RFC 5322 2.1.1 allows, CRLF not counted.
    static let maxLineLength = 998
    /// Bytes per write.
    static let blockSize = 64 * 1024

    /// The message as given.
    let bytes: [UInt8]
    /// Whether any byte is above 0x7F (needs BODY=8BITMIME, RFC 6152).
    let eightBit: Bool
    /// Offsets of the lines that start with a dot (each gets a second one).
    private let dotLines: [Int]

    /// Checks `bytes`.
    /// - Throws: `SMTPError.invalidMessage` naming the first bad line.
    init(_ bytes: [UInt8]) throws(SMTPError) {
        guard bytes.count >= 2, bytes[bytes.count - 2] == 0x0D, bytes[bytes.count - 1] == 0x0A else {
            throw SMTPError.invalidMessage("the message does not end with CRLF")
        }
        var dots: [Int] = []
        var high = false
        var failure: String?
        bytes.withUnsafeBufferPointer { raw in
            var lineStart = 0
            var line = 1
            var index = 0
            let count = raw.count
            while index < count {
                let byte = raw[index]
                if byte == 0x0D {
                    guard index + 1 < count, raw[index + 1] == 0x0A else {
                        failure = "bare CR in line \(line)"
                        return
                    }
                    guard index - lineStart <= Self.maxLineLength else {
                        failure = "line \(line) is longer than \(Self.maxLineLength) octets"
                        return
                    }
                    index += 2
                    lineStart = index
                    line += 1
                    if index < count && raw[index] == 0x2E { dots.append(index) }
                    continue
                }
                if byte == 0x0A {
                    failure = "bare LF in line \(line)"
                    return
                }
                if byte == 0 {
                    failure = "NUL in line \(line)"
                    return
                }
                if byte > 0x7F { high = true }
                index += 1
            }
        }
        if let failure { throw SMTPError.invalidMessage(failure) }
        if bytes.first == 0x2E { dots.insert(0, at: 0) }
        self.bytes = bytes
        eightBit = high
        dotLines = dots
    }

    /// Size on the wire after dot-stuffing, without the final `.\r\n`.
    var stuffedCount: Int { bytes.count + dotLines.count }

    /// Writes the dot-stuffed message (not the final `.\r\n`) in blocks of up to `blockSize`.
    /// - Parameter write: called with each block.
    /// - Throws: what `write` throws.
    func write(_ write: ([UInt8]) throws -> Void) rethrows {
        var block: [UInt8] = []
        block.reserveCapacity(min(Self.blockSize, stuffedCount) + 1)
        var start = 0
        for dot in dotLines + [bytes.count] {
            var from = start
            while from < dot {
                let take = min(dot - from, Self.blockSize - block.count)
                block.append(contentsOf: bytes[from..<(from + take)])
                from += take
                if block.count >= Self.blockSize {
                    try write(block)
                    block.removeAll(keepingCapacity: true)
                }
            }
            if dot < bytes.count { block.append(0x2E) }
            start = dot
        }
        if !block.isEmpty { try write(block) }
    }
}
