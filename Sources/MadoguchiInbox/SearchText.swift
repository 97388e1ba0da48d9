// SearchText: the normalisation and bigram split shared by indexing and querying
// (DESIGN.md §3): NFKC, lower case, whitespace and controls removed, overlapping
// character bigrams, digit-only bigrams never produced (their 100-value space would
// make tokens trivially reversible).

import Foundation
import MadoguchiCrypto

/// Normalised text and its bigrams for the encrypted search index.
public enum SearchText {
    /// NFKC, lower-cased, with whitespace, control and format characters removed.
    /// `ﾊﾟｽﾜｰﾄﾞ` becomes `パスワード`, `ＡＢＣ` becomes `abc`, `①` becomes `1`.
    public static func normalize(_ text: String) -> [Unicode.Scalar] {
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

    /// The distinct bigrams of normalised text, in first-seen order, each as UTF-8,
    /// without digit-only bigrams. Text of one character yields that character alone.
    public static func bigrams(of scalars: [Unicode.Scalar]) -> [[UInt8]] {
        if scalars.count == 1 { return isDigit(scalars[0]) ? [] : [utf8([scalars[0]])] }
        var seen = Set<[UInt8]>()
        var result: [[UInt8]] = []
        var index = 0
        while index + 1 < scalars.count {
            let a = scalars[index]
            let b = scalars[index + 1]
            index += 1
            if isDigit(a) && isDigit(b) { continue }
            let bigram = utf8([a, b])
            if seen.insert(bigram).inserted { result.append(bigram) }
        }
        return result
    }

    /// Normalises and splits in one step.
    public static func bigrams(of text: String) -> [[UInt8]] {
        bigrams(of: normalize(text))
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

    private static func utf8(_ scalars: [Unicode.Scalar]) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in scalars { bytes.append(contentsOf: UTF8.encode(scalar)!) }
        return bytes
    }
}
