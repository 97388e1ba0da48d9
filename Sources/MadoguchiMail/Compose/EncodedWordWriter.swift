// EncodedWordWriter: RFC 2047 encoded words ("=?UTF-8?B?…?=") for header text that
// is not plain ASCII. B encoding only (it survives every relay and needs no
// escaping rules of its own); each word is at most 75 characters (RFC 2047
// section 2) and holds whole characters: whole grapheme clusters where one fits,
// whole scalars otherwise (section 5, rule 3). ISO-2022-JP words each start and
// end in ASCII mode (RFC 1468), so every word decodes on its own.

/// Writing of RFC 2047 encoded words.
enum EncodedWordWriter {
    /// The longest encoded word (RFC 2047 section 2).
    static let maxWordLength = 75

    /// The encoded words of `text`.
    /// - Parameters:
    ///   - text: the (cleaned) header text.
    ///   - charset: the charset of the words.
    ///   - firstLength: the room for the first word (what is left of its header line).
    /// - Returns: the words, or nil if `charset` cannot carry a character of `text`.
    static func words(_ text: String, charset: OutgoingCharset, firstLength: Int) -> [[UInt8]]? {
        let prefix = Array("=?\(charset.rawValue)?B?".utf8)
        var words: [[UInt8]] = []
        var limit = max(min(firstLength, maxWordLength), prefix.count + 2 + 12)
        // Encoded bytes that fit in a word of `limit` characters.
        var capacity: Int { (limit - prefix.count - 2) / 4 * 3 }
        var payload: [UInt8] = []
        func flush() {
            guard !payload.isEmpty else { return }
            var word = prefix
            TransferEncoding.base64(payload, wrap: false, into: &word)
            word += [0x3F, 0x3D]
            words.append(word)
            payload.removeAll(keepingCapacity: true)
            limit = maxWordLength
        }
        switch charset {
        case .utf8:
            for character in text {
                let bytes = Array(character.utf8)
                if payload.count + bytes.count > capacity { flush() }
                if bytes.count <= capacity {
                    payload += bytes
                    continue
                }
                for scalar in character.unicodeScalars {
                    let piece = Array(String(scalar).utf8)
                    if payload.count + piece.count > capacity { flush() }
                    payload += piece
                }
            }
        case .iso2022JP:
            var units: [ISO2022JPEncoder.Unit] = []
            var candidate: [ISO2022JPEncoder.Unit] = []
            for character in text {
                candidate.removeAll(keepingCapacity: true)
                guard ISO2022JPEncoder.units(character.unicodeScalars, into: &candidate) else { return nil }
                if encodedLength(units + candidate) > capacity && !units.isEmpty {
                    ISO2022JPEncoder.write(units, into: &payload)
                    flush()
                    units.removeAll(keepingCapacity: true)
                }
                units += candidate
            }
            ISO2022JPEncoder.write(units, into: &payload)
        }
        flush()
        return words
    }

    /// Bytes `ISO2022JPEncoder.write` produces for `units`.
    private static func encodedLength(_ units: [ISO2022JPEncoder.Unit]) -> Int {
        var length = 0
        var jis = false
        for unit in units {
            let isJIS = unit >= 0x80
            if isJIS != jis { length += 3 }
            jis = isJIS
            length += isJIS ? 2 : 1
        }
        return length + (jis ? 3 : 0)
    }
}
