// Charset: bytes in a declared, missing or lying charset to Unicode, through glibc
// iconv with the real-world Japanese rules (ISO-2022-JP as CP50220/CP50221,
// Shift_JIS aliases as CP932, EUC-JP as EUC-JP-MS). Never throws: invalid
// sequences become U+FFFD. SECURITY: UTF-7 is decoded like any charset; the result
// is plain text that every consumer escapes, so `+ADw-script+AD4-` is only text.

import Glibc

/// Charset decoding with lenient fallbacks.
public enum Charset {
    /// Decodes `bytes` labelled `label` (a MIME charset name, any case) to a string.
    ///
    /// Unknown labels and labels the bytes contradict fall back to detection: UTF-8
    /// (if valid), ISO-2022-JP, CP932 or EUC-JP where the bytes are plausible
    /// Japanese, otherwise CP1252; then the label's decoder (or UTF-8) with U+FFFD.
    /// - Parameters:
    ///   - bytes: the encoded text.
    ///   - label: the declared charset, or nil if none was declared.
    /// - Returns: the decoded text; never fails.
    public static func decode(_ bytes: some Collection<UInt8>, label: String?) -> String {
        let array = Array(bytes)
        let utf8 = array.withUnsafeBufferPointer { buffer in
            decodeToUTF8(buffer, label: label.map { Array($0.utf8)[...] })
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// The decoders the parser distinguishes.
    enum Kind: Equatable {
        case utf8
        case ascii
        case iso2022jp
        case iconv(String)
        case unknown
    }

    /// Maps a charset label to a decoder.
    static func kind(of label: ArraySlice<UInt8>?) -> Kind {
        guard let label else { return .unknown }
        var name = [UInt8]()
        name.reserveCapacity(label.count)
        for byte in label where byte > 0x20 && byte != 0x22 && byte != 0x27 {
            name.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        // RFC 2231 language suffix in encoded words: "ISO-2022-JP*ja".
        if let star = name.firstIndex(of: 0x2A) { name.removeSubrange(star...) }
        let text = String(decoding: name, as: UTF8.self)
        switch text {
        case "utf-8", "utf8", "x-utf-8", "unicode-1-1-utf-8": return .utf8
        case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "": return .ascii
        case "iso-2022-jp", "csiso2022jp", "iso-2022-jp-ms", "cp50220", "cp50221", "cp50222", "x-cp50220",
            "x-cp50221", "iso-2022-jp-1", "jis":
            return .iso2022jp
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms932", "windows-31j", "cp932", "ms_kanji", "csshiftjis",
            "x-ms-cp932", "windows-932", "cswindows31j", "x-shift_jis", "shift_jisx0213":
            return .iconv("CP932")
        case "euc-jp", "x-euc-jp", "eucjp", "euc-jp-ms", "eucjp-ms", "cseucpkdfmtjapanese", "x-euc", "eucjp-win",
            "x-eucjp":
            return .iconv("EUC-JP-MS")
        case "iso-8859-1", "latin1", "iso_8859-1", "l1", "cp819", "ibm819", "windows-1252", "cp1252",
            "x-cp1252":
            return .iconv("CP1252")
        case "gb2312", "x-gbk", "gbk", "cp936", "euc-cn": return .iconv("GBK")
        case "ks_c_5601-1987", "euc-kr", "ks_c_5601", "cp949", "ks_c_5601-1989": return .iconv("CP949")
        case "big5", "x-big5", "cn-big5": return .iconv("BIG5-HKSCS")
        case "tis-620", "iso-8859-11": return .iconv("CP874")
        default:
            // Only plain names reach iconv_open: no "//TRANSLIT" or other suffixes.
            for byte in name {
                let ok =
                    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
                    || byte == 0x2E || byte == 0x3A
                if !ok { return .unknown }
            }
            if name.count > 40 { return .unknown }
            let upper = text.uppercased()
            return IconvDecoder.isSupported(upper) ? .iconv(upper) : .unknown
        }
    }

    /// Decodes to UTF-8 bytes (the parser's internal form).
    ///
    /// A declared label that decodes without error wins, unless it is clearly wrong:
    /// a Western single-byte label on bytes that are clearly Japanese (see
    /// `JapaneseScore.isClear`), or a Japanese label on bytes that are clearly not
    /// Japanese (Latin-1 text; `JapaneseScore.isClearlyNot`) and decode as CP1252.
    static func decodeToUTF8(_ bytes: UnsafeBufferPointer<UInt8>, label: ArraySlice<UInt8>?) -> [UInt8] {
        let kind = kind(of: label)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 2)
        switch kind {
        case .utf8:
            if UTF8Validation.isValid(bytes) {
                out.append(contentsOf: bytes)
                return out
            }
        case .ascii:
            if isASCIIWithoutEscape(bytes) {
                out.append(contentsOf: bytes)
                return out
            }
        case .iso2022jp:
            if ISO2022JPDecoder.decode(bytes, into: &out) == 0 { return out }
            out.removeAll(keepingCapacity: true)
        case .iconv(let name):
            if IconvDecoder.decode(bytes, from: name, into: &out) == 0 {
                if isWestern(name) {
                    overruleWestern(bytes, into: &out)
                } else if let scorer = japaneseScorer(name), scorer(bytes).isClearlyNot {
                    let mark = out.count
                    if IconvDecoder.decode(bytes, from: "CP1252", into: &out) == 0 {
                        out.removeSubrange(0..<mark)
                    } else {
                        out.removeSubrange(mark...)
                    }
                }
                return out
            }
            out.removeAll(keepingCapacity: true)
        case .unknown:
            break
        }
        // The label lied, was unknown or missing: detect. CP1252 is a candidate for
        // no label, an unknown or US-ASCII one, and a Japanese one on bytes that are
        // not plausible Japanese (Japanese text with a few broken bytes stays
        // Japanese, with U+FFFD); never under a UTF-8 label, whose invalid bytes
        // become U+FFFD (SECURITY A10), nor on ISO-2022-JP escapes.
        let western: Bool
        switch kind {
        case .unknown, .ascii: western = true
        case .utf8: western = false
        case .iconv("CP932"): western = !JapaneseScore.shiftJIS(bytes).isPlausible
        case .iconv("EUC-JP-MS"): western = !JapaneseScore.eucJP(bytes).isPlausible
        case .iso2022jp:
            western =
                !bytes.contains(0x1B)
                && !(JapaneseScore.shiftJIS(bytes).isPlausible || JapaneseScore.eucJP(bytes).isPlausible)
        case .iconv: western = false
        }
        if detect(bytes, into: &out, western: western) { return out }
        out.removeAll(keepingCapacity: true)
        switch kind {
        case .iso2022jp: _ = ISO2022JPDecoder.decode(bytes, into: &out)
        case .iconv(let name): _ = IconvDecoder.decode(bytes, from: name, into: &out)
        case .utf8, .ascii, .unknown: UTF8Validation.appendRepairing(bytes, into: &out)
        }
        return out
    }

    /// Whether `name` is a Western single-byte charset (Latin-1, CP1252 and kin).
    private static func isWestern(_ name: String) -> Bool {
        name == "CP1252" || name.hasPrefix("ISO-8859-") || name.hasPrefix("WINDOWS-125")
    }

    /// The scorer for a Japanese iconv charset, or nil.
    private static func japaneseScorer(_ name: String) -> ((UnsafeBufferPointer<UInt8>) -> JapaneseScore)? {
        switch name {
        case "CP932": JapaneseScore.shiftJIS
        case "EUC-JP-MS": JapaneseScore.eucJP
        default: nil
        }
    }

    /// Replaces `out` (the decode under a Western label) by Shift_JIS or EUC-JP when
    /// the bytes are clearly Japanese and decode without error.
    private static func overruleWestern(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        func replace(with name: String) -> Bool {
            let mark = out.count
            if IconvDecoder.decode(bytes, from: name, into: &out) == 0 {
                out.removeSubrange(0..<mark)
                return true
            }
            out.removeSubrange(mark...)
            return false
        }
        // As in `detect`: Shift_JIS first only if a byte only it uses as a lead occurs.
        let sjisFirst = bytes.contains { $0 >= 0x80 && $0 < 0xA1 && $0 != 0x8E && $0 != 0x8F }
        let sjisClear = JapaneseScore.shiftJIS(bytes).isClear
        if sjisFirst && sjisClear && replace(with: "CP932") { return }
        if JapaneseScore.eucJP(bytes).isClear && replace(with: "EUC-JP-MS") { return }
        if !sjisFirst && sjisClear { _ = replace(with: "CP932") }
    }

    /// Appends the text of `bytes` in the first charset that decodes it without
    /// error; false if none does. Order: ASCII, ISO-2022-JP (escapes, no 8-bit
    /// bytes), UTF-8, then CP932 or EUC-JP if the bytes are plausible Japanese
    /// (`JapaneseScore.isPlausible`), then CP1252 (if `western` and no more than
    /// three 8-bit bytes stand in a row), then CP932 or
    /// EUC-JP even if implausible. Which Japanese encoding goes first depends on
    /// whether a byte only Shift_JIS uses as a lead (0x80-0xA0 but 0x8E, 0x8F) occurs.
    /// - Parameters:
    ///   - bytes: the text.
    ///   - out: receives the UTF-8 text.
    ///   - western: whether CP1252 is a candidate.
    /// - Returns: whether a charset decoded the bytes without error.
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], western: Bool = true) -> Bool {
        var hasEscape = false
        var has8bit = false
        var hasSJISLead = false
        for byte in bytes {
            if byte == 0x1B {
                hasEscape = true
            } else if byte >= 0x80 {
                has8bit = true
                if byte < 0xA1 && byte != 0x8E && byte != 0x8F { hasSJISLead = true }
            }
        }
        if !has8bit {
            if hasEscape {
                let mark = out.count
                if ISO2022JPDecoder.decode(bytes, into: &out) == 0 { return true }
                out.removeSubrange(mark...)
                return false
            }
            out.append(contentsOf: bytes)
            return true
        }
        if UTF8Validation.isValid(bytes) {
            out.append(contentsOf: bytes)
            return true
        }
        func attempt(_ name: String) -> Bool {
            let mark = out.count
            if IconvDecoder.decode(bytes, from: name, into: &out) == 0 { return true }
            out.removeSubrange(mark...)
            return false
        }
        let first = hasSJISLead ? "CP932" : "EUC-JP-MS"
        let second = hasSJISLead ? "EUC-JP-MS" : "CP932"
        let sjisPlausible = JapaneseScore.shiftJIS(bytes).isPlausible
        let eucPlausible = JapaneseScore.eucJP(bytes).isPlausible
        let firstPlausible = hasSJISLead ? sjisPlausible : eucPlausible
        let secondPlausible = hasSJISLead ? eucPlausible : sjisPlausible
        if firstPlausible && attempt(first) { return true }
        if secondPlausible && attempt(second) { return true }
        if western && isWesternShaped(bytes) && attempt("CP1252") { return true }
        if !firstPlausible && attempt(first) { return true }
        if !secondPlausible && attempt(second) { return true }
        return false
    }

    /// Whether the 8-bit bytes could be Western text: never more than three in a
    /// row (accented letters and curly quotes sit between ASCII letters; a longer
    /// run is binary garbage or another multibyte charset).
    private static func isWesternShaped(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var run = 0
        for byte in bytes {
            if byte < 0x80 {
                run = 0
            } else {
                run += 1
                if run > 3 { return false }
            }
        }
        return true
    }

    private static func isASCIIWithoutEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte >= 0x80 || byte == 0x1B { return false }
        return true
    }
}
