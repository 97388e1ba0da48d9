// HTMLText: the plain text of an HTML body, for search indexing and confirmation when a
// message has no text/plain part. Not a renderer: tags go, script/style content goes,
// block tags become line breaks, character references are decoded.

/// Plain text from HTML.
public enum HTMLText {
    private static let blockTags: Set<String> = [
        "br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre",
        "hr",
    ]
    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "yen": "¥", "copy": "©",
    ]

    /// The text of `html`, whitespace kept as it was apart from block tags.
    public static func plain(_ html: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count / 2)
        var scalars = html.unicodeScalars[...]
        var skipUntil: String?
        while let scalar = scalars.first {
            if scalar == "<" {
                guard let close = scalars.firstIndex(of: ">") else { break }
                let inside = String(scalars[scalars.index(after: scalars.startIndex)..<close])
                scalars = scalars[scalars.index(after: close)...]
                let name = tagName(inside)
                if let waiting = skipUntil {
                    if name == "/" + waiting { skipUntil = nil }
                    continue
                }
                if name == "script" || name == "style" {
                    skipUntil = name
                } else if blockTags.contains(name.hasPrefix("/") ? String(name.dropFirst()) : name) {
                    out.append("\n")
                }
                continue
            }
            scalars = scalars.dropFirst()
            if skipUntil != nil { continue }
            if scalar == "&", let (text, rest) = reference(scalars) {
                out.append(text)
                scalars = rest
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func tagName(_ inside: String) -> String {
        var name = ""
        for character in inside.lowercased() {
            if character.isLetter || character.isNumber || (character == "/" && name.isEmpty) {
                name.append(character)
            } else if !name.isEmpty || character != "/" {
                break
            }
        }
        return inside.hasPrefix("!") ? "!" : name
    }

    /// Decodes a character reference after `&`; nil if it is not one.
    private static func reference(_ rest: Substring.UnicodeScalarView) -> (String, Substring.UnicodeScalarView)? {
        guard let semicolon = rest.prefix(12).firstIndex(of: ";") else { return nil }
        let body = String(rest[rest.startIndex..<semicolon])
        let after = rest[rest.index(after: semicolon)...]
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value =
                digits.hasPrefix("x") || digits.hasPrefix("X")
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value), value != 0 else { return nil }
            return (String(Character(scalar)), after)
        }
        guard let text = named[body.lowercased()] else { return nil }
        return (text, after)
    }
}
