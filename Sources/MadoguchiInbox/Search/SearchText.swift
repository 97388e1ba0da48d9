// SearchText: the normalisation and bigram split shared by indexing and querying
// (madoguchi-security(7) SEARCH INDEX): NFKC, lower case, whitespace and controls removed, overlapping
// character bigrams, digit-only bigrams never produced (their 100-value space would
// make tokens trivially reversible).

import Foundation
import Glibc
import MadoguchiCrypto

/// Normalised text and its bigrams for the encrypted search index.
public enum SearchText {
    /// NFKC, lower-cased, with whitespace, control and format characters removed.
    /// `ﾊﾟｽﾜｰﾄﾞ` becomes `パスワード`, `ＡＢＣ` becomes `abc`, `①` becomes `1`.
    public static func normalize(_ text: String) -> [Unicode.Scalar] {
        if let folded = stableFold(text) { return folded }
        let folded = NFKC.normalize(text).lowercased()
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(folded.unicodeScalars.count)
        for scalar in folded.unicodeScalars {
            let properties = scalar.properties
            if properties.isWhitespace { continue }
            switch properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate,
                .privateUse, .unassigned:
                continue
            default:
                out.append(scalar)
            }
        }
        return out
    }

    /// `normalize` without Foundation or Unicode property lookups, for text made only of
    /// scalars whose fold is known: ASCII (upper case lowered; space and controls dropped),
    /// full-width ASCII forms (to ASCII), the ideographic space (dropped), and kana, CJK
    /// ideographs and CJK punctuation that NFKC leaves alone and nothing composes with.
    /// Nil for any other scalar (half-width kana, accents, ①, …): then Foundation folds
    /// the whole text. Most Japanese and English mail takes this path, which is what makes
    /// indexing and decrypt-confirmation fast (the general path costs ~0.5 ms per 8 KB).
    static func stableFold(_ text: String) -> [Unicode.Scalar]? {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.utf8.count / 2)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x41...0x5A:  // A–Z
                out.append(Unicode.Scalar(UInt8(value + 0x20)))
            case 0x21...0x7E:
                out.append(scalar)
            case 0x00...0x20, 0x7F, 0x3000:  // controls and spaces
                continue
            case 0xFF21...0xFF3A:  // Ａ–Ｚ
                out.append(Unicode.Scalar(UInt8(value - 0xFEE0 + 0x20)))
            case 0xFF01...0xFF5E:  // the other full-width ASCII forms
                out.append(Unicode.Scalar(UInt8(value - 0xFEE0)))
            case _ where isStableJapanese(value):
                out.append(scalar)
            default:
                return nil
            }
        }
        return out
    }

    /// Kana, CJK ideographs and CJK punctuation that NFKC leaves alone and nothing
    /// composes with: the non-ASCII scalars every fast path passes through unchanged.
    private static func isStableJapanese(_ value: UInt32) -> Bool {
        switch value {
        case 0x3001...0x3002, 0x3005...0x3011, 0x3041...0x3096, 0x30A1...0x30FC, 0x4E00...0x9FFF: true
        default: false
        }
    }

    /// The distinct bigrams of normalised text, in first-seen order, each as UTF-8,
    /// without digit-only bigrams. Text of one character yields that character alone.
    public static func bigrams(of scalars: [Unicode.Scalar]) -> [[UInt8]] {
        packedBigrams(of: scalars).map { packed in withUTF8(packed) { Array($0) } }
    }

    /// Marks the second half of a packed "bigram" that is one character alone.
    static let lone: UInt64 = 0xFFFF_FFFF

    /// `bigrams(of:)` without an allocation per bigram: each bigram is packed as
    /// `first << 32 | second` (scalar values; `lone` as second for one-character text),
    /// distinct, in first-seen order. Indexing calls this for every message, so the
    /// distinct check is an open-addressing table of packed values rather than a `Set`
    /// (which hashes every probe with SipHash).
    public static func packedBigrams(of scalars: [Unicode.Scalar]) -> [UInt64] {
        if scalars.count == 1 { return isDigit(scalars[0]) ? [] : [UInt64(scalars[0].value) << 32 | lone] }
        guard scalars.count > 1 else { return [] }
        var table = BigramTable(expected: min(scalars.count, 4_096))
        var result: [UInt64] = []
        result.reserveCapacity(min(scalars.count, 4_096))
        var previous = scalars[0]
        for scalar in scalars.dropFirst() {
            defer { previous = scalar }
            if isDigit(previous) && isDigit(scalar) { continue }
            let packed = UInt64(previous.value) << 32 | UInt64(scalar.value)
            if table.insert(packed) { result.append(packed) }
        }
        return result
    }

    /// A set of packed bigrams: linear probing, Fibonacci hashing, at most half full.
    private struct BigramTable {
        private var slots: [UInt64]
        private var shift: UInt64
        private var count = 0
        /// 0 is the empty-slot marker, so the bigram 0 (never produced: normalising
        /// drops U+0000) is tracked apart.
        private var hasZero = false

        init(expected: Int) {
            var bits: UInt64 = 4
            while 1 << bits < 2 * expected { bits += 1 }
            slots = [UInt64](repeating: 0, count: 1 << bits)
            shift = 64 - bits
        }

        /// Adds `value`; true if it was not there.
        mutating func insert(_ value: UInt64) -> Bool {
            if value == 0 {
                defer { hasZero = true }
                return !hasZero
            }
            if 2 * (count + 1) > slots.count { grow() }
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: (value &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while true {
                let existing = slots[slot]
                if existing == value { return false }
                if existing == 0 {
                    slots[slot] = value
                    count += 1
                    return true
                }
                slot = (slot + 1) & mask
            }
        }

        private mutating func grow() {
            let old = slots
            slots = [UInt64](repeating: 0, count: old.count * 2)
            shift -= 1
            count = 0
            for value in old where value != 0 { _ = insert(value) }
        }
    }

    /// Calls `body` with the UTF-8 of a packed bigram (at most 8 bytes, on the stack).
    public static func withUTF8<R>(_ packed: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { buffer in
            var count = encode(UInt32(truncatingIfNeeded: packed >> 32), into: buffer, at: 0)
            let second = packed & lone
            if second != lone { count = encode(UInt32(truncatingIfNeeded: second), into: buffer, at: count) }
            return try body(UnsafeRawBufferPointer(start: buffer.baseAddress, count: count))
        }
    }

    /// Writes the UTF-8 of a scalar value at `offset`; returns the offset after it.
    private static func encode(_ value: UInt32, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        // Packed from Unicode.Scalar values, so always a valid scalar.
        guard let scalar = Unicode.Scalar(value), let units = UTF8.encode(scalar) else {
            preconditionFailure("packed bigram holds a non-scalar value")
        }
        var end = offset
        for unit in units {
            buffer[end] = unit
            end += 1
        }
        return end
    }

    /// Normalises and splits in one step.
    public static func bigrams(of text: String) -> [[UInt8]] {
        bigrams(of: normalize(text))
    }

    /// Whether normalised `needle` occurs in the normalised UTF-8 text `haystack`. Fast
    /// path: when every needle scalar is one `stableFold` keeps unchanged, a literal byte
    /// occurrence followed by end of text or by a scalar `stableFold` accepts (so nothing
    /// can compose with the needle's last scalar) is a match without decoding or
    /// normalising the text; otherwise (or if there is no such occurrence) the text is
    /// normalised as `contains(_:normalizedNeedle:)` does.
    public static func contains(utf8 haystack: [UInt8], normalizedNeedle needle: [Unicode.Scalar]) -> Bool {
        if needle.allSatisfy(keptUnchanged) {
            var pattern: [UInt8] = []
            for scalar in needle { pattern.append(contentsOf: UTF8.encode(scalar)!) }
            if literalMatch(haystack, pattern) { return true }
        }
        return contains(String(decoding: haystack, as: UTF8.self), normalizedNeedle: needle)
    }

    /// A scalar `stableFold` passes through unchanged.
    private static func keptUnchanged(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21...0x40, 0x5B...0x7E: true
        default: isStableJapanese(scalar.value)
        }
    }

    /// Whether `pattern` occurs in `text` followed by the end or by a scalar `stableFold`
    /// accepts (a starter that never composes with what precedes it).
    private static func literalMatch(_ text: [UInt8], _ pattern: [UInt8]) -> Bool {
        guard let lastByte = pattern.last, text.count >= pattern.count else { return false }
        return text.withUnsafeBufferPointer { hay in
            guard let base = hay.baseAddress else { return false }
            // memchr on the pattern's last byte, not its first: in Japanese text a lead
            // byte (0xE3 for kana) starts every third byte, a final continuation byte is
            // ~40 times rarer, so far fewer candidate positions reach memcmp.
            let tail = pattern.count - 1
            var index = tail
            while index < hay.count {
                guard let hit = memchr(base + index, Int32(lastByte), hay.count - index) else { return false }
                let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let position = end - tail
                if memcmp(base + position, pattern, pattern.count) == 0 && safeBoundary(hay, at: end + 1) {
                    return true
                }
                index = end + 1
            }
            return false
        }
    }

    /// Whether the scalar starting at `index` (or the end of text) cannot compose with the
    /// scalar before it: ASCII or a scalar in one of `stableFold`'s ranges.
    private static func safeBoundary(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index < text.count else { return true }
        let lead = text[index]
        if lead < 0x80 { return true }
        guard lead >= 0xE0, lead < 0xF0, index + 2 < text.count else { return false }
        let value = UInt32(lead & 0x0F) << 12 | UInt32(text[index + 1] & 0x3F) << 6 | UInt32(text[index + 2] & 0x3F)
        return value == 0x3000 || (0xFF01...0xFF5E).contains(value) || isStableJapanese(value)
    }

    /// Whether normalised `needle` occurs in normalised `haystack` (the confirmation
    /// step after an index match).
    public static func contains(_ haystack: String, normalizedNeedle needle: [Unicode.Scalar]) -> Bool {
        if needle.isEmpty { return true }
        let hay = normalize(haystack)
        if needle.count > hay.count { return false }
        let first = needle[0]
        var index = 0
        let last = hay.count - needle.count
        while index <= last {
            if hay[index] == first {
                var matched = true
                var offset = 1
                while offset < needle.count {
                    if hay[index + offset] != needle[offset] {
                        matched = false
                        break
                    }
                    offset += 1
                }
                if matched { return true }
            }
            index += 1
        }
        return false
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }
}
