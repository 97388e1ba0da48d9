// TextNormalization: Unicode NFKC as used for passwords and search.
// Foundation on Linux leaves some NFKC results uncomposed (half-width ﾊﾟ becomes
// ハ + U+309A, not パ), so NFC is applied after the compatibility mapping.

import Foundation

/// Unicode normalisation helpers.
public enum TextNormalization {
    /// Unicode NFKC, fully composed: `ﾊﾟｽﾜｰﾄﾞＡＢＣ①` → `パスワードABC1` (scalar for scalar).
    public static func nfkc(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
    }
}
