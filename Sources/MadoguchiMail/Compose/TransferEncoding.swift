// TransferEncoding: Content-Transfer-Encoding base64 and quoted-printable for
// outgoing parts (RFC 2045 sections 6.7 and 6.8), the writing side of
// TransferDecoding. Input lines end in CRLF; output lines end in CRLF and are at
// most 76 characters, so nothing the relays see is 8-bit or over-long.

/// Content-Transfer-Encoding encoders.
enum TransferEncoding {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let hex = Array("0123456789ABCDEF".utf8)
    /// The longest encoded line (RFC 2045 sections 6.7 rule 5 and 6.8).
    static let lineLength = 76

    /// Appends base64 of `bytes`; with `wrap`, in lines of 76 characters each ended by
    /// CRLF (the last line too).
    static func base64(_ bytes: some Collection<UInt8>, wrap: Bool, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + (bytes.count + 2) / 3 * 4 * 78 / 76 + 2)
        var column = 0
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = second == nil ? nil : iterator.next()
            let value = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            out.append(alphabet[Int(value >> 18)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(second == nil ? 0x3D : alphabet[Int(value >> 6 & 63)])
            out.append(third == nil ? 0x3D : alphabet[Int(value & 63)])
            column += 4
            if wrap && column == lineLength {
                out += [0x0D, 0x0A]
                column = 0
            }
        }
        if wrap && column > 0 { out += [0x0D, 0x0A] }
    }

    /// The length of `base64(bytes, wrap: true, …)` for `count` bytes.
    static func base64Length(_ count: Int) -> Int {
        let characters = (count + 2) / 3 * 4
        return characters + (characters + lineLength - 1) / lineLength * 2
    }

    /// Appends the quoted-printable form of `text` (lines ended by CRLF): "=", 8-bit
    /// bytes, controls but TAB, blanks before a line end and the "F" of a line starting
    /// "From " are encoded; long lines get soft breaks, never inside a UTF-8 sequence.
    static func quotedPrintable(_ text: [UInt8], into out: inout [UInt8]) {
        out.reserveCapacity(out.count + text.count * 3)
        var column = 0
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte == 0x0D && index + 1 < count && text[index + 1] == 0x0A {
                out += [0x0D, 0x0A]
                column = 0
                index += 2
                continue
            }
            let atLineEnd =
                index + 1 == count || (text[index + 1] == 0x0D && index + 2 < count && text[index + 2] == 0x0A)
            let fromLine = column == 0 && byte == 0x46 && text[index...].starts(with: fromSpace)
            let literal =
                !fromLine
                && ((byte > 0x20 && byte < 0x7F && byte != 0x3D) || ((byte == 0x20 || byte == 0x09) && !atLineEnd))
            let width = literal ? 1 : 3 * sequenceLength(byte)
            if column + width > lineLength - 1 {
                out += [0x3D, 0x0D, 0x0A]
                column = 0
            }
            if literal {
                out.append(byte)
                column += 1
                index += 1
                continue
            }
            // A whole UTF-8 sequence at once, so a soft break never splits a character.
            let end = min(count, index + sequenceLength(byte))
            for encoded in text[index..<end] {
                out += [0x3D, hex[Int(encoded >> 4)], hex[Int(encoded & 15)]]
            }
            column += 3 * (end - index)
            index = end
        }
    }

    /// The length `quotedPrintable` would produce, without building it (close enough
    /// to choose between the encodings: soft breaks are counted at 3 per 73 columns).
    static func quotedPrintableLength(_ text: [UInt8]) -> Int {
        var length = 0
        for byte in text {
            length +=
                (byte >= 0x20 && byte < 0x7F && byte != 0x3D) || byte == 0x0D || byte == 0x0A || byte == 0x09 ? 1 : 3
        }
        return length + length / 73 * 3
    }

    private static let fromSpace = Array("From ".utf8)

    /// Bytes in the UTF-8 sequence `lead` starts (1 for ASCII and stray bytes).
    private static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 1
        }
    }
}
