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

    /// Constructs that load something: refused, and counted as remote content.
    private static let loading = ["url(", "@import", "image-set("].map { Array($0.utf8) }
    /// Everything refused: what loads, runs code, or hides an escape or a comment.
    private static let refused =
        loading
        + ["expression", "\\", "/*", "*/", "behavior", "-moz-binding", "javascript:", "vbscript:"].map {
            Array($0.utf8)
        }
    private static let refusedFirstBytes: [Bool] = (0..<256).map { byte in refused.contains { Int($0[0]) == byte } }
    private static let refusedBytes: Set<UInt8> = [0x7B, 0x7D, 0x3C, 0x3E]  // { } < >

    private static let properties: Set<String> = [
        "color", "background-color", "width", "height", "max-width", "min-width", "line-height",
        "vertical-align", "white-space", "display",
    ]
    private static let prefixes = ["font-", "text-", "margin", "padding", "border"].map { Array($0.utf8) }
    private static let borderImage = Array("border-image".utf8)
    private static let functions: Set<String> = ["rgb", "rgba", "hsl", "hsla", "calc"]
    private static let displayValues: Set<String> = [
        "block", "inline", "inline-block", "none", "table", "table-row", "table-cell", "table-caption",
        "list-item",
    ]

    /// Filters `value`.
    /// - Parameter value: the decoded attribute value.
    static func filter(_ value: String) -> Outcome {
        let bytes = Array(value.utf8)
        let lowered = ASCIIBytes.lowered(bytes)
        var loads = false
        var refusedConstruct = false
        for index in lowered.indices where refusedFirstBytes[Int(lowered[index])] {
            for pattern in refused where pattern[0] == lowered[index] && lowered[index...].starts(with: pattern) {
                refusedConstruct = true
                if loading.contains(pattern) { loads = true }
            }
        }
        if refusedConstruct { return Outcome(style: nil, loadsRemotely: loads) }
        let refuse = Outcome(style: nil, loadsRemotely: false)
        if lowered.contains(where: { ($0 < 0x20 && !ASCIIBytes.isBlank($0)) || refusedBytes.contains($0) }) {
            return refuse
        }
        var kept: [UInt8] = []
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: 0x3B) ?? bytes.count
            defer { start = end + 1 }
            let piece = ASCIIBytes.trimmed(bytes, start..<end)
            if piece.isEmpty { continue }
            guard let colon = bytes[piece].firstIndex(of: 0x3A) else { return refuse }
            let nameRange = ASCIIBytes.trimmed(bytes, piece.lowerBound..<colon)
            let valueRange = ASCIIBytes.trimmed(bytes, colon + 1..<piece.upperBound)
            let name = lowered[nameRange]
            let loweredValue = lowered[valueRange]
            guard !name.isEmpty, !loweredValue.isEmpty,
                name.allSatisfy({ HTMLTokenizer.isAlpha($0) || $0 == 0x2D }),
                loweredValue.count(where: { $0 == 0x22 }) % 2 == 0,
                loweredValue.count(where: { $0 == 0x27 }) % 2 == 0,
                onlyAllowedFunctions(loweredValue)
            else { return refuse }
            let nameText = String(decoding: name, as: UTF8.self)
            if nameText == "position",
                loweredValue.starts(with: "fixed".utf8) || loweredValue.starts(with: "absolute".utf8)
            {
                return refuse
            }
            guard properties.contains(nameText) || prefixes.contains(where: { name.starts(with: $0) }),
                !name.starts(with: borderImage),
                nameText != "display" || displayValues.contains(String(decoding: loweredValue, as: UTF8.self))
            else { continue }
            if !kept.isEmpty { kept += [0x3B, 0x20] }
            kept += name
            kept += [0x3A, 0x20]
            kept += bytes[valueRange]
        }
        return Outcome(style: kept.isEmpty ? nil : String(decoding: kept, as: UTF8.self), loadsRemotely: loads)
    }

    /// True when every `name(` in `value` (lower case) names an allowed function.
    private static func onlyAllowedFunctions(_ value: ArraySlice<UInt8>) -> Bool {
        var nameStart = value.startIndex
        for index in value.indices {
            let byte = value[index]
            if byte == 0x28 {
                guard functions.contains(String(decoding: value[nameStart..<index], as: UTF8.self)) else {
                    return false
                }
                nameStart = index + 1
            } else if !(HTMLTokenizer.isAlpha(byte) || byte == 0x2D) {
                nameStart = index + 1
            }
        }
        return true
    }
}
