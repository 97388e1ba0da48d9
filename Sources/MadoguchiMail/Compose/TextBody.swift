// TextBody: the text/plain part of a reply. Line ends are normalized first (C4):
// CRLF, a bare CR, a bare LF, NEL, U+2028 and U+2029 each end one line and are
// written as CRLF, other controls but TAB and form feed become spaces (so neither
// ESC nor NUL reaches a 7bit body), and the text ends with CRLF. Then:
// - UTF-8: quoted-printable or base64, whichever is shorter (quoted-printable for
//   mostly-ASCII text, which stays readable; base64 for mostly-Japanese text, a
//   third of quoted-printable's size);
// - ISO-2022-JP: 7bit, each line back in ASCII mode before its CRLF (RFC 1468);
//   base64 of the same bytes if a line would pass 998 octets (RFC 5322 section 2.1.1).

/// An encoded text/plain body.
struct TextBody {
    /// The charset label (Content-Type charset).
    let charset: OutgoingCharset
    /// The Content-Transfer-Encoding.
    let transferEncoding: String
    /// The encoded body, lines ended by CRLF.
    let bytes: [UInt8]

    /// The longest line a 7bit body may have, without its CRLF (RFC 5322 section 2.1.1).
    static let maxLine = 998

    /// Encodes `text`; nil if `charset` cannot carry one of its characters.
    init?(_ text: String, charset: OutgoingCharset) {
        self.charset = charset
        let normal = TextBody.normalized(text)
        switch charset {
        case .utf8:
            var out = [UInt8]()
            if TransferEncoding.quotedPrintableLength(normal) <= TransferEncoding.base64Length(normal.count) {
                TransferEncoding.quotedPrintable(normal, into: &out)
                transferEncoding = "quoted-printable"
            } else {
                TransferEncoding.base64(normal, wrap: true, into: &out)
                transferEncoding = "base64"
            }
            bytes = out
        case .iso2022JP:
            var out = [UInt8]()
            out.reserveCapacity(normal.count)
            var units: [ISO2022JPEncoder.Unit] = []
            var longest = 0
            var lineStart = 0
            var index = 0
            while index + 1 < normal.count {
                guard normal[index] == 0x0D, normal[index + 1] == 0x0A else {
                    index += 1
                    continue
                }
                units.removeAll(keepingCapacity: true)
                let line = String(decoding: normal[lineStart..<index], as: UTF8.self)
                guard ISO2022JPEncoder.units(line.unicodeScalars, into: &units) else { return nil }
                let before = out.count
                ISO2022JPEncoder.write(units, into: &out)
                longest = max(longest, out.count - before)
                out += [0x0D, 0x0A]
                index += 2
                lineStart = index
            }
            if longest > TextBody.maxLine {
                var encoded = [UInt8]()
                TransferEncoding.base64(out, wrap: true, into: &encoded)
                bytes = encoded
                transferEncoding = "base64"
            } else {
                bytes = out
                transferEncoding = "7bit"
            }
        }
    }

    /// `text` as UTF-8 with normalized line ends and controls, ending in CRLF unless empty.
    static func normalized(_ text: String) -> [UInt8] {
        var out = [UInt8]()
        var text = text
        text.withUTF8 { input in
            out.reserveCapacity(input.count + input.count / 16 + 2)
            let count = input.count
            var index = 0
            while index < count {
                let byte = input[index]
                switch byte {
                case 0x0D:
                    out += [0x0D, 0x0A]
                    index += index + 1 < count && input[index + 1] == 0x0A ? 2 : 1
                case 0x0A:
                    out += [0x0D, 0x0A]
                    index += 1
                case 0x09, 0x0C:
                    out.append(byte)
                    index += 1
                case 0x00..<0x20, 0x7F:
                    out.append(0x20)
                    index += 1
                case 0xC2 where index + 1 < count && (0x80...0x9F).contains(input[index + 1]):
                    if input[index + 1] == 0x85 { out += [0x0D, 0x0A] } else { out.append(0x20) }
                    index += 2
                case 0xE2
                where index + 2 < count && input[index + 1] == 0x80 && (input[index + 2] | 1) == 0xA9:
                    out += [0x0D, 0x0A]
                    index += 3
                default:
                    out.append(byte)
                    index += 1
                }
            }
        }
        if !out.isEmpty && !(out.count >= 2 && out[out.count - 2] == 0x0D && out[out.count - 1] == 0x0A) {
            out += [0x0D, 0x0A]
        }
        return out
    }
}
