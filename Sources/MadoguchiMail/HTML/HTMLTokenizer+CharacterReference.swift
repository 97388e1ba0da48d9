// HTMLTokenizer+CharacterReference: named and numeric character references (WHATWG
// HTML 13.2.5.72–13.2.5.80). Named ones are a practical subset of the standard's
// table; an unknown name stays literal text. Numeric ones follow the standard's
// replacement rules: 0, surrogates and values above U+10FFFF become U+FFFD and
// 0x80–0x9F map through the Windows-1252 table.

extension HTMLTokenizer {
    /// Names decoded when followed by `;`.
    static let namedReferences: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "AMP": "&", "LT": "<", "GT": ">",
        "QUOT": "\"", "nbsp": "\u{A0}", "copy": "\u{A9}", "COPY": "\u{A9}", "reg": "\u{AE}", "REG": "\u{AE}",
        "yen": "\u{A5}", "cent": "\u{A2}", "pound": "\u{A3}", "euro": "\u{20AC}", "sect": "\u{A7}",
        "para": "\u{B6}", "deg": "\u{B0}", "plusmn": "\u{B1}", "times": "\u{D7}", "divide": "\u{F7}",
        "middot": "\u{B7}", "laquo": "\u{AB}", "raquo": "\u{BB}", "shy": "\u{AD}", "not": "\u{AC}",
        "micro": "\u{B5}", "sup2": "\u{B2}", "sup3": "\u{B3}", "frac12": "\u{BD}", "frac14": "\u{BC}",
        "frac34": "\u{BE}", "hellip": "\u{2026}", "mdash": "\u{2014}", "ndash": "\u{2013}",
        "lsquo": "\u{2018}", "rsquo": "\u{2019}", "sbquo": "\u{201A}", "ldquo": "\u{201C}",
        "rdquo": "\u{201D}", "bdquo": "\u{201E}", "bull": "\u{2022}", "trade": "\u{2122}",
        "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}", "zwnj": "\u{200C}", "zwj": "\u{200D}",
        "lrm": "\u{200E}", "rlm": "\u{200F}", "larr": "\u{2190}", "uarr": "\u{2191}", "rarr": "\u{2192}",
        "darr": "\u{2193}", "hearts": "\u{2665}", "check": "\u{2713}",
    ]

    /// The legacy names the standard also decodes without `;` (a subset of its list).
    static let legacyReferences: Set<String> = [
        "amp", "lt", "gt", "quot", "AMP", "LT", "GT", "QUOT", "nbsp", "copy", "COPY", "reg", "REG", "yen",
        "cent", "pound", "sect", "para", "deg", "plusmn", "times", "divide", "middot", "laquo", "raquo", "shy",
        "not", "micro", "sup2", "sup3", "frac12", "frac14", "frac34",
    ]

    /// The numeric character reference end state's table for 0x80–0x9F.
    static func windows1252(_ value: UInt32) -> UInt32? {
        let table: [UInt32] = [
            0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
            0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161,
            0x203A, 0x0153, 0, 0x017E, 0x0178,
        ]
        guard (0x80...0x9F).contains(value) else { return nil }
        let mapped = table[Int(value - 0x80)]
        return mapped == 0 ? nil : mapped
    }

    /// The scalar a numeric reference with `value` stands for.
    static func numericReferenceScalar(_ value: UInt32) -> Unicode.Scalar {
        if value == 0 || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return "\u{FFFD}" }
        if let mapped = windows1252(value) { return Unicode.Scalar(mapped)! }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    /// Consumes a character reference after an `&` (the `&` already consumed) and
    /// appends what it stands for to the text or attribute value being built; appends
    /// `&` alone when it is no reference, leaving the following characters to the
    /// current state.
    /// - Parameter inAttribute: true in an attribute value (legacy names before `=` or
    ///   an alphanumeric stay literal there).
    mutating func consumeCharacterReference(inAttribute: Bool) {
        var output: [UInt8] = [0x26]
        if position < input.count, input[position] == 0x23 || Self.isAlphanumeric(input[position]) {
            output.removeAll()
            decodeCharacterReference(into: &output, inAttribute: inAttribute)
        }
        if inAttribute {
            attributeValue.append(contentsOf: output)
        } else {
            text.append(contentsOf: output)
        }
    }

    private mutating func decodeCharacterReference(into output: inout [UInt8], inAttribute: Bool) {
        guard position < input.count else {
            output.append(0x26)
            return
        }
        let first = input[position]
        if first == 0x23 {
            consumeNumericReference(into: &output)
            return
        }
        guard Self.isAlphanumeric(first) else {
            output.append(0x26)
            return
        }
        var end = position
        while end < input.count, end - position < 32, Self.isAlphanumeric(input[end]) { end += 1 }
        let name = String(decoding: input[position..<end], as: UTF8.self)
        if end < input.count, input[end] == 0x3B, let scalar = Self.namedReferences[name] {
            position = end + 1
            Self.appendUTF8(scalar, to: &output)
            return
        }
        var length = min(end - position, 6)
        while length > 1 {
            let prefix = String(decoding: input[position..<position + length], as: UTF8.self)
            if Self.legacyReferences.contains(prefix), let scalar = Self.namedReferences[prefix] {
                let after = position + length
                let following = after < input.count ? input[after] : nil
                if inAttribute, let following, following == 0x3D || Self.isAlphanumeric(following) { break }
                position = after
                if following == 0x3B { position += 1 }
                Self.appendUTF8(scalar, to: &output)
                return
            }
            length -= 1
        }
        output.append(0x26)
    }

    private mutating func consumeNumericReference(into output: inout [UInt8]) {
        let start = position
        position += 1
        var hex = false
        if position < input.count, input[position] | 0x20 == 0x78 {
            hex = true
            position += 1
        }
        var value: UInt32 = 0
        var digits = 0
        while position < input.count {
            let byte = input[position]
            let digit: UInt32
            if byte >= 0x30 && byte <= 0x39 {
                digit = UInt32(byte - 0x30)
            } else if hex, (byte | 0x20) >= 0x61, (byte | 0x20) <= 0x66 {
                digit = UInt32((byte | 0x20) - 0x61 + 10)
            } else {
                break
            }
            value = min(value * (hex ? 16 : 10) + digit, 0x110000)
            digits += 1
            position += 1
        }
        guard digits > 0 else {
            // Not a reference: "&#" or "&#x" stay text.
            output.append(0x26)
            output.append(contentsOf: input[start..<position])
            return
        }
        if position < input.count, input[position] == 0x3B { position += 1 }
        Self.appendUTF8(Self.numericReferenceScalar(value), to: &output)
    }

    static func appendUTF8(_ scalar: Unicode.Scalar, to output: inout [UInt8]) {
        for unit in UTF8.encode(scalar)! { output.append(unit) }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || isAlpha(byte)
    }

    static func isAlpha(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= 0x61 && lower <= 0x7A
    }
}
