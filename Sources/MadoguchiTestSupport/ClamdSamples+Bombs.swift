// ClamdSamples+Bombs: decompression bombs built at run time, nothing downloaded
// (madoguchi-security(7) A22): a 42.zip-style recursive archive, zips nested beyond
// clamd's MaxRecursion, David Fifield's overlapping-entry zip ("A better zip bomb",
// WOOT 2019), a gzip and a one-member zip of 1 GiB of zeros, and EICAR behind 101 MiB
// of zeros in one zip member. The zero kernels
// are hand-made DEFLATE (ZeroDeflate), so no gigabyte is ever in memory or on disk.

extension ClamdSamples {
    /// A 42.zip-style archive: `levels` zips nested in one another, each holding
    /// `copies` copies of the one below; the innermost holds `copies` files of
    /// `leafSize` zeros. The defaults expand to 16^5 MiB (1 TiB) from about 30 KB.
    /// - Throws: `ClamdHarnessError` when libarchive fails.
    public static func recursiveZip(levels: Int = 5, copies: Int = 16, leafSize: Int = 1 << 20) throws -> [UInt8] {
        let leaf = [UInt8](repeating: 0, count: leafSize)
        var archive = try zip((0..<copies).map { (name: "\($0).bin", data: leaf) })
        for level in 1..<levels {
            let inner = archive
            archive = try zip((0..<copies).map { (name: "lib\(level)_\($0).zip", data: inner) })
        }
        return archive
    }

    /// `depth` zips, each the only entry of the next, around one small text file.
    /// - Throws: `ClamdHarnessError` when libarchive fails.
    public static func nestedZip(depth: Int = 20) throws -> [UInt8] {
        var archive = try zip([("readme.txt", Array("見積書は別送します。".utf8))])
        for level in 0..<depth {
            archive = try zip([("nested\(level).zip", archive)])
        }
        return archive
    }

    /// Fifield's overlapping-entry zip: `files` entries whose data all end in one shared
    /// DEFLATE kernel of `kernelSize` zeros. Entry i's data is a stored block quoting the
    /// local header of entry i+1, then entry i+1's data, so every entry is valid (sizes and
    /// CRC-32 exact) and decompresses to the headers after it plus the kernel. The
    /// defaults give about 45 KB expanding to 5.2 GB.
    public static func overlappingZip(files: Int = 250, kernelSize: Int = 20 << 20) -> [UInt8] {
        precondition(files >= 1 && kernelSize >= 1, "at least one file and one byte")
        let kernel = ZeroDeflate.block(zeros: kernelSize)
        let names = (0..<files).map { index in
            let digits = String(index)
            return Array((String(repeating: "0", count: max(0, 4 - digits.count)) + digits + ".txt").utf8)
        }
        var headers = [[UInt8]](repeating: [], count: files)
        var entries = [(crc: UInt32, compressed: Int, size: Int)](repeating: (0, 0, 0), count: files)
        // From the last entry (the kernel alone) back to the first.
        var crc = CRC32.zeros(kernelSize)
        var compressed = kernel.count
        var size = kernelSize
        for index in stride(from: files - 1, through: 0, by: -1) {
            entries[index] = (crc, compressed, size)
            headers[index] = ZipRecords.localHeader(
                name: names[index], method: .deflated, crc: crc, compressedSize: compressed, size: size)
            crc = CRC32.combine(CRC32.checksum(headers[index]), crc, lengthB: size)
            compressed += ZeroDeflate.storedHeader(length: 0).count + headers[index].count
            size += headers[index].count
        }
        var body: [UInt8] = []
        var offsets: [Int] = []
        for index in 0..<files {
            offsets.append(body.count)
            body += headers[index]
            if index + 1 < files { body += ZeroDeflate.storedHeader(length: headers[index + 1].count) }
        }
        body += kernel
        var directory: [UInt8] = []
        for index in 0..<files {
            let entry = entries[index]
            directory += ZipRecords.centralHeader(
                name: names[index], method: .deflated, crc: entry.crc, compressedSize: entry.compressed,
                size: entry.size, offset: offsets[index])
        }
        return body + directory
            + ZipRecords.endRecord(entries: files, directorySize: directory.count, directoryOffset: body.count)
    }

    /// A gzip file (RFC 1952) of `size` zeros: 1 GiB by default, about 1 MB long.
    public static func gzipOfZeros(_ size: Int = 1 << 30) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        out += ZeroDeflate.block(zeros: size)
        out += littleEndian(CRC32.zeros(size))
        out += littleEndian(UInt32(truncatingIfNeeded: size))
        return out
    }

    /// A zip with one member of `size` zeros (at most 4 GiB - 1): 1 GiB by default.
    public static func zipOfZeros(_ size: Int = 1 << 30, name: String = "report.csv") -> [UInt8] {
        oneMemberZip(kernel: ZeroDeflate.block(zeros: size), crc: CRC32.zeros(size), size: size, name: name)
    }

    /// A zip with one member: `padding` zeros, then the EICAR test file; a scanner that
    /// cuts the member short of its end never sees EICAR.
    public static func zipOfPaddedEICAR(padding: Int = 101 << 20, name: String = "invoice.bin") -> [UInt8] {
        let tail = eicar
        let kernel = ZeroDeflate.block(zeros: padding, followedBy: tail)
        let crc = CRC32.combine(CRC32.zeros(padding), CRC32.checksum(tail), lengthB: tail.count)
        return oneMemberZip(kernel: kernel, crc: crc, size: padding + tail.count, name: name)
    }

    /// A zip whose only member is the DEFLATE data `kernel`, expanding to `size` bytes.
    private static func oneMemberZip(kernel: [UInt8], crc: UInt32, size: Int, name: String) -> [UInt8] {
        let header = ZipRecords.localHeader(
            name: Array(name.utf8), method: .deflated, crc: crc, compressedSize: kernel.count, size: size)
        let directory = ZipRecords.centralHeader(
            name: Array(name.utf8), method: .deflated, crc: crc, compressedSize: kernel.count, size: size, offset: 0)
        return header + kernel + directory
            + ZipRecords.endRecord(
                entries: 1, directorySize: directory.count, directoryOffset: header.count + kernel.count)
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }
}
