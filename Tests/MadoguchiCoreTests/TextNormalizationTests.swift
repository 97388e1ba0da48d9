// NFKC normalisation as used for passwords and search.

import MadoguchiCore
import Testing

@Suite struct TextNormalizationTests {
    @Test("NFKC composes half-width kana, folds full-width letters and circled digits")
    func nfkc() {
        let scalars = TextNormalization.nfkc("ﾊﾟｽﾜｰﾄﾞＡＢＣ①").unicodeScalars.map(\.value)
        #expect(scalars == "パスワードABC1".unicodeScalars.map(\.value))
    }
}
