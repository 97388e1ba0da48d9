// NFKC: Unicode compatibility normalisation that is correct on Linux. Foundation's
// precomposedStringWithCompatibilityMapping (Swift 6.3.1, Debian 12) leaves half-width
// voiced marks uncomposed ("ﾊﾟ" → U+30CF U+309A, not U+30D1 "パ"); a following NFC pass
// composes them, and NFC of anything canonically equivalent to NFKD(x) is NFKC(x).

import Foundation

/// NFKC normalisation for passwords and search text.
public enum NFKC {
    /// Returns the NFKC form of `text` (full-width ASCII → ASCII, half-width kana →
    /// full-width, "①" → "1", combining sequences composed).
    public static func normalize(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
    }
}
