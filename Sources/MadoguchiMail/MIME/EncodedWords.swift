// EncodedWords: RFC 2047 encoded words ("=?charset?B|Q?text?=") in header text.
// Adjacent words are joined without the blanks between them, and words in the same
// charset are decoded together so a multibyte character split across words
// survives. Raw 8-bit text between words (RFC 6532 UTF-8, or raw Shift_JIS) is
// decoded by detection. Lenient: words glued to text are accepted.

/// RFC 2047 decoding.
enum EncodedWords {
    /// Decodes a header value (unfolded bytes) to text.
    static func decode(_ raw: [UInt8]) -> String {
        raw.withUnsafeBufferPointer { String(decoding: decodeToUTF8($0), as: UTF8.self) }
    }

    /// Decodes a header value to UTF-8 bytes.
    static func decodeToUTF8(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        if !containsWordStart(raw) {
            var out = [UInt8]()
            out.reserveCapacity(raw.count)
            _ = Charset.detect(raw, into: &out) || appendRepairing(raw, &out)
            return out
        }
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        var literalStart = 0
        var index = 0
        var pendingCharset: ArraySlice<UInt8>? = nil
        var pendingBytes = [UInt8]()
        var lastWordEnd = -1
        let count = raw.count
        func flushWords() {
            guard let charset = pendingCharset else { return }
            pendingBytes.withUnsafeBufferPointer {
                out.append(contentsOf: Charset.decodeToUTF8($0, label: charset))
            }
            pendingBytes.removeAll(keepingCapacity: true)
            pendingCharset = nil
        }
        func flushLiteral(upTo end: Int) {
            guard literalStart < end else { return }
            let literal = UnsafeBufferPointer(rebasing: raw[literalStart..<end])
            _ = Charset.detect(literal, into: &out) || appendRepairing(literal, &out)
        }
        while index + 1 < count {
            guard raw[index] == 0x3D && raw[index + 1] == 0x3F, let word = parseWord(raw, at: index) else {
                index += 1
                continue
            }
            // Blanks between two encoded words vanish; other literal text stays.
            let onlyBlanks = lastWordEnd == literalStart && isBlank(raw, literalStart..<index)
            if !onlyBlanks {
                flushWords()
                flushLiteral(upTo: index)
            }
            if let current = pendingCharset, !sameCharset(current, word.charset) { flushWords() }
            if pendingCharset == nil { pendingCharset = word.charset }
            let text = UnsafeBufferPointer(rebasing: raw[word.text])
            if word.base64 {
                TransferDecoding.base64(text, into: &pendingBytes)
            } else {
                TransferDecoding.quotedPrintable(text, header: true, into: &pendingBytes)
            }
            index = word.end
            literalStart = index
            lastWordEnd = index
        }
        flushWords()
        flushLiteral(upTo: count)
        return out
    }

    private static func appendRepairing(_ bytes: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) -> Bool {
        UTF8Validation.appendRepairing(bytes, into: &out)
        return true
    }

    /// Whether "=?" occurs.
    static func containsWordStart(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index + 1 < raw.count {
            if raw[index] == 0x3D && raw[index + 1] == 0x3F { return true }
            index += 1
        }
        return false
    }

    /// Longest encoded text accepted in one word (RFC 2047 says 75 for the whole
    /// word; broken mailers write longer ones, so be generous but bounded).
    static let maxWordText = 2048

    private struct Word {
        var charset: ArraySlice<UInt8>
        var base64: Bool
        var text: Range<Int>
        var end: Int
    }

    /// Parses "=?charset?X?text?=" at `start`.
    private static func parseWord(_ raw: UnsafeBufferPointer<UInt8>, at start: Int) -> Word? {
        let count = raw.count
        var index = start + 2
        let charsetStart = index
        while index < count && raw[index] != 0x3F {
            let byte = raw[index]
            if byte <= 0x20 || byte >= 0x7F || index - charsetStart > 64 { return nil }
            index += 1
        }
        guard index + 2 < count, index > charsetStart, raw[index + 2] == 0x3F else { return nil }
        let charsetEnd = index
        let encoding = raw[index + 1] | 0x20
        guard encoding == 0x62 || encoding == 0x71 else { return nil }
        let textStart = index + 3
        index = textStart
        while index + 1 < count {
            if raw[index] == 0x3F && raw[index + 1] == 0x3D {
                let charset = ArraySlice(UnsafeBufferPointer(rebasing: raw[charsetStart..<charsetEnd]))
                return Word(charset: charset, base64: encoding == 0x62, text: textStart..<index, end: index + 2)
            }
            // Encoded text has no blanks; a blank means this was not a word. The
            // length cap keeps a header full of unterminated "=?" linear.
            if raw[index] == 0x20 || raw[index] == 0x09 || index - textStart > maxWordText { return nil }
            index += 1
        }
        return nil
    }

    private static func isBlank(_ raw: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for index in range where raw[index] != 0x20 && raw[index] != 0x09 { return false }
        return true
    }

    private static func sameCharset(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x | 0x20 != y | 0x20 { return false }
        return true
    }
}
