// MessageIDList: the ids of Message-ID, In-Reply-To and References without angle
// brackets, in order. SECURITY: ids are untrusted (A25); threading must verify them.

/// Message-ID lists (Message-ID, In-Reply-To, References).
enum MessageIDList {
    /// The ids in `raw`: the contents of every `<...>`, or the blank-separated words
    /// containing "@" if there are no angle brackets.
    static func ids(_ raw: [UInt8]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < raw.count {
            if raw[index] == 0x3C {
                var end = index + 1
                while end < raw.count && raw[end] != 0x3E { end += 1 }
                let id = raw[(index + 1)..<end].filter { $0 > 0x20 }
                if !id.isEmpty { result.append(String(decoding: id, as: UTF8.self)) }
                index = end + 1
            } else {
                index += 1
            }
        }
        if result.isEmpty {
            // Without brackets only id-like words count (obsolete In-Reply-To phrases such
            // as "your message of ..." are not ids).
            for word in raw.split(whereSeparator: { $0 <= 0x20 || $0 == 0x2C }) where word.contains(0x40) {
                if word.first == 0x28 { break }
                result.append(String(decoding: word, as: UTF8.self))
            }
        }
        return result
    }
}
