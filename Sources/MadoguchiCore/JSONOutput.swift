// JSONOutput: a small append-only JSON writer into a byte buffer (no Foundation
// in the hot path). Strings are escaped fully: quotes, backslash, every control
// character, DEL and U+2028/U+2029 as \u escapes, so output is one line per object.

/// Builds JSON text into a byte buffer.
public struct JSONOutput: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    /// An empty buffer.
    public init() {}

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends raw ASCII text (punctuation, keys known to be safe).
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends a quoted, escaped string, or `null`.
    public mutating func string(_ value: String?) {
        guard var value else {
            raw("null")
            return
        }
        value.withUTF8 { escape($0) }
    }

    /// Appends an integer.
    public mutating func integer(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Appends `true` or `false`.
    public mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    /// Appends a JSON array of strings.
    public mutating func strings(_ values: [String]) {
        raw("[")
        for (index, value) in values.enumerated() {
            if index > 0 { raw(",") }
            string(value)
        }
        raw("]")
    }

    private mutating func escape(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.reserveCapacity(bytes.count + utf8.count + 2)
        bytes.append(0x22)
        var index = 0
        var runStart = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            // Fast path: bytes that need no escape are copied as one run.
            if byte >= 0x20 && byte != 0x22 && byte != 0x5C && byte != 0x7F && byte != 0xE2 {
                index += 1
                continue
            }
            let isSeparator =
                byte == 0xE2 && index + 2 < count && utf8[index + 1] == 0x80
                && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9)
            if byte == 0xE2 && !isSeparator {
                index += 1
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            switch byte {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0xE2:
                unicodeEscape(utf8[index + 2] == 0xA8 ? 0x2028 : 0x2029)
                index += 2
            default: unicodeEscape(UInt16(byte))
            }
            index += 1
            runStart = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
        bytes.append(0x22)
    }

    private mutating func unicodeEscape(_ value: UInt16) {
        raw("\\u")
        for shift in [12, 8, 4, 0] { bytes.append(JSONOutput.hexDigits[Int(value >> UInt16(shift) & 0xF)]) }
    }
}
