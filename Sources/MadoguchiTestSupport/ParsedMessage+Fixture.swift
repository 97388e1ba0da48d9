// ParsedMessage+Fixture (MailFixture): builders for test messages (byte concatenation, hex, base64) so the
// parser tests' tables can spell real-world shapes such as ISO-2022-JP escapes and
// Shift_JIS bytes exactly.

import MadoguchiMail

/// Test message builders.
public enum MailFixture {
    /// UTF-8 bytes of `text` with every "\n" turned into CRLF.
    public static func crlf(_ text: String) -> [UInt8] {
        var out = [UInt8]()
        for byte in text.utf8 {
            if byte == 0x0A { out.append(0x0D) }
            out.append(byte)
        }
        return out
    }

    /// Bytes from a hex string with optional spaces ("95 5c").
    public static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8.filter { $0 != 0x20 })
        var out = [UInt8]()
        var index = 0
        while index + 1 < digits.count {
            let high = hexValue(digits[index])
            let low = hexValue(digits[index + 1])
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// Standard base64 of `bytes`, one line.
    public static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out = [UInt8]()
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value =
                (UInt32(chunk[0]) << 16) | (chunk.count > 1 ? UInt32(chunk[1]) << 8 : 0)
                | (chunk.count > 2 ? UInt32(chunk[2]) : 0)
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(chunk.count > 1 ? alphabet[Int(value >> 6 & 63)] : 0x3D)
            out.append(chunk.count > 2 ? alphabet[Int(value & 63)] : 0x3D)
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An RFC 2047 B word for `bytes` in `charset`.
    public static func word(_ charset: String, _ bytes: [UInt8]) -> String {
        "=?\(charset)?B?\(base64(bytes))?="
    }

    /// ISO-2022-JP bytes: ESC $ B, the JIS pairs, ESC ( B.
    public static func jis(_ pairs: String) -> [UInt8] {
        [0x1B, 0x24, 0x42] + hex(pairs) + [0x1B, 0x28, 0x42]
    }

    /// Parses with the standard limits.
    public static func parse(_ raw: [UInt8], limits: MailLimits = .standard) -> ParsedMessage {
        MessageParser(limits: limits).parse(raw)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8 {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x41...0x46: digit - 0x41 + 10
        case 0x61...0x66: digit - 0x61 + 10
        default: 0
        }
    }
}
