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

    private mutating func appendEscaped(_ text: String) {
        var utf8 = text.utf8.makeIterator()
        var pending: UInt8? = nil
        while let byte = pending ?? utf8.next() {
            pending = nil
            switch byte {
            case 0x26: bytes.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case 0x3C: bytes.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
            case 0x3E: bytes.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
            case 0x22: bytes.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
            case 0x27: bytes.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
            case 0x09, 0x0A: bytes.append(byte)
            case 0x0D: bytes.append(0x0A)
            case 0x00...0x1F, 0x7F: break
            case 0xC2:
                // U+0080–U+009F (C1 controls) are C2 80–C2 9F.
                guard let next = utf8.next() else { return }
                if next >= 0x80 && next <= 0x9F { continue }
                bytes.append(byte)
                pending = next
            default: bytes.append(byte)
            }
        }
    }
}
