// ASCIIBytes: byte-level helpers for the sanitizer's ASCII syntax (case folding,
// substring search, blank trimming) over UTF-8, so that no Unicode or Foundation
// string search runs per attribute (linear time, HTMLBenchmark).

/// Helpers over UTF-8 bytes where only ASCII matters.
enum ASCIIBytes {
    /// `bytes` with A–Z folded to a–z (other bytes unchanged, so UTF-8 stays valid).
    static func lowered<C: Collection<UInt8>>(_ bytes: C) -> [UInt8] {
        bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    /// True when `needle` (lower-case ASCII) occurs in `haystack`.
    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: String) -> Bool {
        contains(haystack, Array(needle.utf8))
    }

    /// True when `pattern` (lower-case ASCII bytes) occurs in `haystack`.
    static func contains(_ haystack: ArraySlice<UInt8>, _ pattern: [UInt8]) -> Bool {
        guard let first = pattern.first, haystack.count >= pattern.count else { return false }
        var index = haystack.startIndex
        let last = haystack.endIndex - pattern.count
        while index <= last {
            if haystack[index] == first && haystack[index..<index + pattern.count].elementsEqual(pattern) {
                return true
            }
            index += 1
        }
        return false
    }

    /// True for the blanks trimmed around CSS declarations (space, tab, LF, CR, FF).
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    /// The range of `bytes[range]` without leading and trailing blanks.
    static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && isBlank(bytes[lower]) { lower += 1 }
        while upper > lower && isBlank(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }
}
