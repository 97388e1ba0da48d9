// CRC32: the CRC-32 of zip and gzip (ISO 3309, reflected polynomial 0xEDB88320), with
// the combination of two CRCs (zlib's crc32_combine) so the CRC of gigabytes of zeros
// is found without touching them: the zip bomb fixtures need exact CRCs cheaply.

/// CRC-32 as zip (APPNOTE 4.4.7) and gzip (RFC 1952) use it.
enum CRC32 {
    private static let polynomial: UInt32 = 0xEDB8_8320

    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
        return crc
    }

    /// The CRC of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The CRC of `count` zero bytes.
    static func zeros(_ count: Int) -> UInt32 {
        multiply(powerOfX(count), 0xFFFF_FFFF) ^ 0xFFFF_FFFF
    }

    /// The CRC of `a` followed by `b`, from the CRC of each and the length of `b`.
    static func combine(_ crcA: UInt32, _ crcB: UInt32, lengthB: Int) -> UInt32 {
        multiply(powerOfX(lengthB), crcA) ^ crcB
    }

    /// a × b modulo the polynomial (bit-reflected, as zlib's `multmodp`).
    private static func multiply(_ a: UInt32, _ b: UInt32) -> UInt32 {
        var mask: UInt32 = 1 << 31
        var product: UInt32 = 0
        var b = b
        while true {
            if a & mask != 0 {
                product ^= b
                if a & (mask - 1) == 0 { break }
            }
            mask >>= 1
            b = b & 1 == 1 ? (b >> 1) ^ polynomial : b >> 1
        }
        return product
    }

    /// x^(8 × bytes) modulo the polynomial: what appending `bytes` zero bytes multiplies by.
    private static func powerOfX(_ bytes: Int) -> UInt32 {
        var square: UInt32 = 1 << 30  // x^1
        var power: UInt32 = 1 << 31  // x^0
        var exponent = UInt64(bytes) * 8
        while exponent > 0 {
            if exponent & 1 == 1 { power = multiply(square, power) }
            square = multiply(square, square)
            exponent >>= 1
        }
        return power
    }
}
