// HTMLOutput: the sanitizer's serializer. Text and attribute values are escaped
// (& < > " '), attribute values always double-quoted; control characters that would
// not survive a second parse unchanged (C0 but tab and LF, DEL, C1) are dropped and
// CR becomes LF, so that sanitizing the output again gives the same output.

/// Accumulates sanitized HTML.
struct HTMLOutput {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var html: String { String(decoding: bytes, as: UTF8.self) }

    mutating func startTag(_ name: String, attributes: [(name: String, value: String)]) {
        bytes.append(0x3C)
        bytes.append(contentsOf: name.utf8)
        for attribute in attributes {
            bytes.append(0x20)
            bytes.append(contentsOf: attribute.name.utf8)
            bytes.append(contentsOf: [0x3D, 0x22])
            appendEscaped(attribute.value)
            bytes.append(0x22)
        }
        bytes.append(0x3E)
    }

    mutating func endTag(_ name: String) {
        bytes.append(contentsOf: [0x3C, 0x2F])
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x3E)
    }

    mutating func text(_ text: String) { appendEscaped(text) }

    /// The bytes escaped, dropped or checked (C1 controls start with C2).
    private static func isSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00...0x1F, 0x22, 0x26, 0x27, 0x3C, 0x3E, 0x7F, 0xC2: true
        default: false
        }
    }

    private mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                // Ordinary bytes are copied in runs; the rest below.
                if !Self.isSpecial(byte) {
                    index += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                index += 1
                runStart = index
                switch byte {
                case 0x26: bytes.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
                case 0x3C: bytes.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
                case 0x3E: bytes.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
                case 0x22: bytes.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
                case 0x27: bytes.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
                case 0x09, 0x0A: bytes.append(byte)
                case 0x0D: bytes.append(0x0A)
                case 0xC2:
                    // U+0080–U+009F (C1 controls) are C2 80–C2 9F; other C2 xx are kept.
                    if index < utf8.count, utf8[index] >= 0x80, utf8[index] <= 0x9F {
                        index += 1
                        runStart = index
                    } else {
                        bytes.append(byte)
                    }
                default: break  // other C0 controls and DEL
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
    }
}
