// ZipRecords: the three records of a zip file (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16),
// written by hand so a test can lay out archives no archiver writes: entries that
// overlap, sizes that were never compressed by a real compressor.

/// Encoders of zip records (no zip64, no data descriptors, DOS date 1980-01-01).
enum ZipRecords {
    /// The compression method of an entry.
    enum Method: UInt16 {
        case stored = 0
        case deflated = 8
    }

    /// A local file header.
    static func localHeader(name: [UInt8], method: Method, crc: UInt32, compressedSize: Int, size: Int) -> [UInt8] {
        var out: [UInt8] = []
        append32(0x0403_4B50, to: &out)
        appendEntryFields(name: name, method: method, crc: crc, compressedSize: compressedSize, size: size, to: &out)
        append16(0, to: &out)  // extra length
        return out + name
    }

    /// The fields both headers share, from "version needed" to the name length.
    private static func appendEntryFields(
        name: [UInt8], method: Method, crc: UInt32, compressedSize: Int, size: Int, to out: inout [UInt8]
    ) {
        append16(20, to: &out)  // version needed
        append16(0, to: &out)  // flags
        append16(method.rawValue, to: &out)
        append16(0, to: &out)  // time
        append16(0x21, to: &out)  // date
        append32(crc, to: &out)
        append32(UInt32(compressedSize), to: &out)
        append32(UInt32(size), to: &out)
        append16(UInt16(name.count), to: &out)
    }

    /// A central directory header for the entry whose local header is at `offset`.
    static func centralHeader(
        name: [UInt8], method: Method, crc: UInt32, compressedSize: Int, size: Int, offset: Int
    ) -> [UInt8] {
        var out: [UInt8] = []
        append32(0x0201_4B50, to: &out)
        append16(20, to: &out)  // version made by
        appendEntryFields(name: name, method: method, crc: crc, compressedSize: compressedSize, size: size, to: &out)
        for _ in 0..<3 { append16(0, to: &out) }  // extra, comment, disk
        append16(0, to: &out)  // internal attributes
        append32(0, to: &out)  // external attributes
        append32(UInt32(offset), to: &out)
        return out + name
    }

    /// The end of central directory record.
    static func endRecord(entries: Int, directorySize: Int, directoryOffset: Int) -> [UInt8] {
        var out: [UInt8] = []
        append32(0x0605_4B50, to: &out)
        append16(0, to: &out)  // this disk
        append16(0, to: &out)  // directory disk
        append16(UInt16(entries), to: &out)
        append16(UInt16(entries), to: &out)
        append32(UInt32(directorySize), to: &out)
        append32(UInt32(directoryOffset), to: &out)
        append16(0, to: &out)  // comment length
        return out
    }

    private static func append16(_ value: UInt16, to out: inout [UInt8]) {
        out += [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    private static func append32(_ value: UInt32, to out: inout [UInt8]) {
        out += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }
}
