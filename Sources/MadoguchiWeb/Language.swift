// Language: the page's language — Japanese first, English too — from the user's own
// setting, else the browser's Accept-Language (RFC 9110 section 12.5.4), else Japanese.

/// A language of the page.
public enum Language: String, Sendable, CaseIterable {
    /// 日本語 (the default).
    case ja
    /// English.
    case en

    /// The best of `ja` and `en` for an Accept-Language value: the highest q-value
    /// among `ja*` and `en*` ranges (`*` counts as Japanese), ties to the first listed;
    /// Japanese when neither appears or the header is absent.
    public static func preferred(acceptLanguage: String?) -> Language {
        guard let header = acceptLanguage else { return .ja }
        var best: (language: Language, q: Double)?
        for item in header.split(separator: ",").prefix(32) {
            let parts = item.split(separator: ";")
            guard let range = parts.first?.trimmingSpaces.lowercased() else { continue }
            var q = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingSpaces.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].lowercased() == "q", let value = Double(pair[1]) { q = value }
            }
            let language: Language? =
                range == "ja" || range.hasPrefix("ja-") || range == "*"
                ? .ja : range == "en" || range.hasPrefix("en-") ? .en : nil
            guard let language, q > 0 else { continue }
            if best == nil || q > best!.q { best = (language, q) }
        }
        return best?.language ?? .ja
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
