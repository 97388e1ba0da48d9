// TransferDecoding: Content-Transfer-Encoding base64 and quoted-printable, lenient
// as real mail needs (invalid characters skipped, missing padding accepted, soft
// break at EOF, stray "=" kept). Unknown encodings pass the bytes through.

/// Content-Transfer-Encoding decoders.
enum TransferDecoding {
    /// Sextet values of base64 characters; 0xFF for anything else.
    private static let base64Table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, char) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(char)] = UInt8(index)
        }
        // URL-safe alphabet, seen from broken mailers.
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Decodes base64, skipping characters outside the alphabet. A "=" ends the
    /// current quantum (concatenated encodings decode as such).
    static func base64(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let decoded = [UInt8](unsafeUninitializedCapacity: input.count * 3 / 4 + 3) { buffer, initialized in
            var written = 0
            base64Table.withUnsafeBufferPointer { table in
                var accumulator: UInt32 = 0
                var sextets = 0
                @inline(__always) func flush() {
                    if sextets == 2 {
                        buffer[written] = UInt8(truncatingIfNeeded: accumulator >> 4)
                        written += 1
                    } else if sextets == 3 {
                        buffer[written] = UInt8(truncatingIfNeeded: accumulator >> 10)
                        buffer[written + 1] = UInt8(truncatingIfNeeded: accumulator >> 2)
                        written += 2
                    }
                    accumulator = 0
                    sextets = 0
                }
                var index = 0
                let count = input.count
                while index < count {
                    // Fast path: four alphabet characters at a quantum boundary.
                    if sextets == 0 && index + 4 <= count {
                        let a = table[Int(input[index])]
                        let b = table[Int(input[index + 1])]
                        let c = table[Int(input[index + 2])]
                        let d = table[Int(input[index + 3])]
                        if (a | b | c | d) & 0xC0 == 0 {
                            let value = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                            buffer[written] = UInt8(truncatingIfNeeded: value >> 16)
                            buffer[written + 1] = UInt8(truncatingIfNeeded: value >> 8)
                            buffer[written + 2] = UInt8(truncatingIfNeeded: value)
                            written += 3
                            index += 4
                            continue
                        }
                    }
                    let char = input[index]
                    index += 1
                    let value = table[Int(char)]
                    if value == 0xFF {
                        if char == 0x3D { flush() }
                        continue
                    }
                    accumulator = accumulator << 6 | UInt32(value)
                    sextets += 1
                    if sextets == 4 {
                        buffer[written] = UInt8(truncatingIfNeeded: accumulator >> 16)
                        buffer[written + 1] = UInt8(truncatingIfNeeded: accumulator >> 8)
                        buffer[written + 2] = UInt8(truncatingIfNeeded: accumulator)
                        written += 3
                        accumulator = 0
                        sextets = 0
                    }
                }
                flush()
            }
            initialized = written
        }
        if out.isEmpty { out = decoded } else { out += decoded }
    }

    /// Decodes quoted-printable. With `header` (RFC 2047 "Q"), "_" is a space and
    /// there are no soft line breaks.
    static func quotedPrintable(_ input: UnsafeBufferPointer<UInt8>, header: Bool = false, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + input.count)
        let count = input.count
        var index = 0
        var lineStart = out.count
        while index < count {
            let char = input[index]
            if char == 0x3D {
                if index + 2 < count, let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                    out.append(high << 4 | low)
                    index += 3
                    lineStart = out.count  // an encoded blank is data, not transport padding
                    continue
                }
                if !header {
                    // Soft line break: "=" then optional blanks then (CR)LF or end of input.
                    var probe = index + 1
                    while probe < count && (input[probe] == 0x20 || input[probe] == 0x09) { probe += 1 }
                    if probe == count {
                        index = count
                        continue
                    }
                    if input[probe] == 0x0A {
                        index = probe + 1
                        continue
                    }
                    if input[probe] == 0x0D {
                        index = probe + 1 < count && input[probe + 1] == 0x0A ? probe + 2 : probe + 1
                        continue
                    }
                }
                out.append(char)
                index += 1
                continue
            }
            if char == 0x5F && header {
                out.append(0x20)
                index += 1
                continue
            }
            if char == 0x0A || char == 0x0D {
                // Transport added trailing blanks before a line end: drop them.
                while out.count > lineStart, out[out.count - 1] == 0x20 || out[out.count - 1] == 0x09 {
                    out.removeLast()
                }
                out.append(char)
                index += 1
                lineStart = out.count
                continue
            }
            out.append(char)
            index += 1
        }
    }

    @inline(__always)
    static func hexValue(_ char: UInt8) -> UInt8? {
        switch char {
        case 0x30...0x39: char - 0x30
        case 0x41...0x46: char - 0x41 + 10
        case 0x61...0x66: char - 0x61 + 10
        default: nil
        }
    }
}
