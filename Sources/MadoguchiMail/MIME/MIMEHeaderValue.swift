// MIMEHeaderValue: a structured MIME field value such as Content-Type or
// Content-Disposition: the lower-cased main value plus parameters, with RFC 2231
// (charset, language, continuations) and the de-facto RFC 2047 words Japanese
// mailers put in quoted file names. SECURITY: a backslash right after an 8-bit byte
// is literal (Shift_JIS 表 = 95 5C must not escape the closing quote).

/// A MIME field value with parameters.
struct MIMEHeaderValue {
    /// The main value, lower-cased and trimmed (e.g. `text/plain`, `attachment`).
    var value: String
    /// Parameters in order: lower-cased name (without RFC 2231 suffixes) and raw sections.
    private var parameters: [(name: String, section: Int, extended: Bool, bytes: [UInt8])] = []

    /// Parses a raw unfolded field value.
    init(_ raw: [UInt8]) {
        var index = 0
        let count = raw.count
        var main = [UInt8]()
        while index < count && raw[index] != 0x3B {
            let byte = raw[index]
            if byte == 0x28 {
                index = MIMEHeaderValue.skipComment(raw, from: index)
                continue
            }
            if byte > 0x20 && byte != 0x22 { main.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
            index += 1
        }
        value = String(decoding: main, as: UTF8.self)
        while index < count {
            // At ";" (or garbage): parse one attribute=value.
            index += 1
            while index < count && (raw[index] == 0x20 || raw[index] == 0x09 || raw[index] == 0x3B) { index += 1 }
            let nameStart = index
            while index < count && raw[index] != 0x3D && raw[index] != 0x3B { index += 1 }
            var nameEnd = index
            while nameEnd > nameStart && (raw[nameEnd - 1] == 0x20 || raw[nameEnd - 1] == 0x09) { nameEnd -= 1 }
            guard index < count, raw[index] == 0x3D, nameEnd > nameStart else { continue }
            index += 1
            while index < count && (raw[index] == 0x20 || raw[index] == 0x09) { index += 1 }
            var valueBytes = [UInt8]()
            if index < count && raw[index] == 0x22 {
                index += 1
                while index < count && raw[index] != 0x22 {
                    if raw[index] == 0x5C && index + 1 < count && (index == 0 || raw[index - 1] < 0x80) {
                        valueBytes.append(raw[index + 1])
                        index += 2
                        continue
                    }
                    valueBytes.append(raw[index])
                    index += 1
                }
                index += 1
                while index < count && raw[index] != 0x3B { index += 1 }
            } else {
                while index < count && raw[index] != 0x3B {
                    valueBytes.append(raw[index])
                    index += 1
                }
                while let last = valueBytes.last, last == 0x20 || last == 0x09 { valueBytes.removeLast() }
            }
            addParameter(Array(raw[nameStart..<nameEnd]), valueBytes)
        }
    }

    private mutating func addParameter(_ rawName: [UInt8], _ bytes: [UInt8]) {
        var name = rawName.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        var extended = false
        var section = -1
        if name.last == 0x2A {
            extended = true
            name.removeLast()
        }
        if let star = name.lastIndex(of: 0x2A) {
            let digits = name[(star + 1)...]
            if !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                section = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                name.removeSubrange(star...)
            }
        }
        parameters.append((String(decoding: name, as: UTF8.self), section, extended, bytes))
    }

    /// The decoded value of parameter `name` (lower-case), or nil.
    func parameter(_ name: String) -> String? {
        guard let bytes = parameterUTF8(name) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes of a simple parameter (e.g. boundary, charset), undecoded as text:
    /// a plain `name=` value wins; otherwise the RFC 2231 form (`name*=`, `name*0=`,
    /// `name*1*=` …) joined and percent-decoded, without its charset and language.
    func rawParameter(_ name: String) -> [UInt8]? {
        if let plain = parameters.first(where: { $0.name == name && $0.section < 0 && !$0.extended }) {
            return plain.bytes
        }
        return joinedSections(name)?.bytes
    }

    /// The decoded value of parameter `name` as UTF-8 bytes.
    func parameterUTF8(_ name: String) -> [UInt8]? {
        guard let first = parameters.first(where: { $0.name == name }) else { return nil }
        // RFC 2231 forms win over a plain fallback value.
        guard let joined = joinedSections(name) else {
            return first.bytes.withUnsafeBufferPointer { EncodedWords.decodeToUTF8($0) }
        }
        guard let charset = joined.charset, !charset.isEmpty else {
            // No declared charset: still honour RFC 2047 words and detect 8-bit text.
            return joined.bytes.withUnsafeBufferPointer { EncodedWords.decodeToUTF8($0) }
        }
        return joined.bytes.withUnsafeBufferPointer { Charset.decodeToUTF8($0, label: charset) }
    }

    /// The RFC 2231 sections of parameter `name` in order (first of each number),
    /// joined, extended ones percent-decoded; the charset of the first section if it
    /// is extended and declares one. Nil if `name` has no RFC 2231 form.
    private func joinedSections(_ name: String) -> (charset: ArraySlice<UInt8>?, bytes: [UInt8])? {
        var ordered: [(section: Int, extended: Bool, bytes: [UInt8])] = []
        var seen = Set<Int>()
        for item in parameters where item.name == name && (item.section >= 0 || item.extended) {
            if seen.insert(item.section).inserted { ordered.append((item.section, item.extended, item.bytes)) }
        }
        if ordered.isEmpty { return nil }
        ordered.sort { $0.section < $1.section }
        var charset: ArraySlice<UInt8>? = nil
        var joined = [UInt8]()
        for (position, item) in ordered.enumerated() {
            guard item.extended else {
                joined.append(contentsOf: item.bytes)
                continue
            }
            var text = item.bytes[...]
            if position == 0 {
                let quotes = text.indices.filter { text[$0] == 0x27 }
                if quotes.count >= 2 {
                    charset = text[text.startIndex..<quotes[0]]
                    text = text[(quotes[1] + 1)...]
                }
            }
            MIMEHeaderValue.percentDecode(text, into: &joined)
        }
        return (charset, joined)
    }

    private static func percentDecode(_ text: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == 0x25, index + 2 < text.endIndex,
                let high = TransferDecoding.hexValue(text[index + 1]),
                let low = TransferDecoding.hexValue(text[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(text[index])
                index += 1
            }
        }
    }

    /// Skips a (possibly nested) comment starting at `from`; returns the index after it.
    static func skipComment(_ raw: [UInt8], from: Int) -> Int {
        var depth = 0
        var index = from
        while index < raw.count {
            switch raw[index] {
            case 0x5C: index += 1
            case 0x28: depth += 1
            case 0x29:
                depth -= 1
                if depth == 0 { return index + 1 }
            default: break
            }
            index += 1
        }
        return raw.count
    }
}
