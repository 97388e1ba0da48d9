// UTF8Validation: strict UTF-8 checking (no overlongs, surrogates or values past
// U+10FFFF) and repair with U+FFFD, on raw buffers for speed.

/// UTF-8 validation and repair.
enum UTF8Validation {
    /// The UTF-8 encoding of U+FFFD.
    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Whether `bytes` is well-formed UTF-8.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            let length = sequenceLength(bytes, at: index)
            if length == 0 { return false }
            index += length
        }
        return true
    }

    /// Appends `bytes` with every ill-formed sequence replaced by U+FFFD.
    static func appendRepairing(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var index = 0
        let count = bytes.count
        while index < count {
            if bytes[index] < 0x80 {
                out.append(bytes[index])
                index += 1
                continue
            }
            let length = sequenceLength(bytes, at: index)
            if length == 0 {
                out.append(contentsOf: replacement)
                index += 1
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
                index += length
            }
        }
    }

    /// Length of the well-formed multi-byte sequence at `index`, or 0.
    private static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        let count = bytes.count
        @inline(__always) func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            index + offset < count && bytes[index + offset] >= low && bytes[index + offset] <= high
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }
}
