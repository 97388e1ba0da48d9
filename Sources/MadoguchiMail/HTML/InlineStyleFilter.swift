// InlineStyleFilter: the CSS declaration allow-list for `style` attributes. A value that
// could load (url(), @import, image functions), run (expression, behavior,
// -moz-binding), hide escapes (\, comments) or cover the page (position fixed or
// absolute) is refused whole, as is one that does not parse as declarations
// (madoguchi-security(7) A4); unknown properties are dropped one by one.

/// Filters the value of an inline `style` attribute.
enum InlineStyleFilter {
    /// The filtered declarations (nil when the whole value is refused or none is
    /// left) and whether the value named something to load.
    struct Outcome: Equatable {
        var style: String?
        var loadsRemotely: Bool
    }

    private static let refused = [
        "url(", "expression", "@import", "\\", "/*", "*/", "behavior", "-moz-binding", "javascript:", "vbscript:",
        "{", "}", "<", ">",
    ]

    private static let properties: Set<String> = [
        "color", "background-color", "width", "height", "max-width", "min-width", "line-height",
        "vertical-align", "white-space", "display",
    ]
    private static let prefixes = ["font-", "text-", "margin", "padding", "border"]
    private static let functions: Set<String> = ["rgb", "rgba", "hsl", "hsla", "calc"]
    private static let displayValues: Set<String> = [
        "block", "inline", "inline-block", "none", "table", "table-row", "table-cell", "table-caption",
        "list-item",
    ]

    /// Filters `value`.
    /// - Parameter value: the decoded attribute value.
    static func filter(_ value: String) -> Outcome {
        let lowered = value.lowercased()
        let loads = lowered.contains("url(") || lowered.contains("@import") || lowered.contains("image-set(")
        if refused.contains(where: { lowered.contains($0) }) { return Outcome(style: nil, loadsRemotely: loads) }
        if lowered.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\u{0C}" }) {
            return Outcome(style: nil, loadsRemotely: loads)
        }
        var kept: [String] = []
        for piece in value.split(separator: ";") {
            let trimmed = String(piece).trimmingBlanks()
            if trimmed.isEmpty { continue }
            guard let colon = trimmed.firstIndex(of: ":") else { return Outcome(style: nil, loadsRemotely: loads) }
            let name = String(trimmed[..<colon]).trimmingBlanks().lowercased()
            let propertyValue = String(trimmed[trimmed.index(after: colon)...]).trimmingBlanks()
            guard !name.isEmpty, !propertyValue.isEmpty,
                name.utf8.allSatisfy({ HTMLTokenizer.isAlpha($0) || $0 == 0x2D }),
                propertyValue.filter({ $0 == "\"" }).count % 2 == 0,
                propertyValue.filter({ $0 == "'" }).count % 2 == 0,
                onlyAllowedFunctions(propertyValue.lowercased())
            else { return Outcome(style: nil, loadsRemotely: loads) }
            let loweredValue = propertyValue.lowercased()
            if name == "position", loweredValue.contains("fixed") || loweredValue.contains("absolute") {
                return Outcome(style: nil, loadsRemotely: loads)
            }
            guard properties.contains(name) || prefixes.contains(where: { name.hasPrefix($0) }),
                !name.hasPrefix("border-image"),
                name != "display" || displayValues.contains(loweredValue)
            else { continue }
            kept.append("\(name): \(propertyValue)")
        }
        return Outcome(style: kept.isEmpty ? nil : kept.joined(separator: "; "), loadsRemotely: loads)
    }

    /// True when every `name(` in `value` is one of the allowed functions.
    private static func onlyAllowedFunctions(_ value: String) -> Bool {
        var name = ""
        for character in value {
            if character == "(" {
                guard functions.contains(name) else { return false }
                name = ""
            } else if character.isLetter || character == "-" {
                name.append(character)
            } else {
                name = ""
            }
        }
        return true
    }
}
