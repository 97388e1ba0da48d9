// ReplyQuote: what a new draft starts with — "Re: " once before the inquiry's subject,
// and a body quoting the customer's message under a date and name line in the
// operator's language, followed by the mailbox signature. Pure functions of their
// inputs.

import Foundation

/// The prefilled subject and body of a new reply.
public enum ReplyQuote {
    /// The language of the date and name line.
    public enum Language: String, Sendable, Equatable {
        /// `2026年12月2日(水) 10:42 山田 太郎 様:`
        case ja
        /// `On Wed, Dec 2, 2026 at 10:42, Taro Yamada wrote:`
        case en
    }

    /// The most characters of the original quoted; a longer text is cut with a `> …` line.
    public static let maximumQuotedCharacters = 100_000

    /// `subject` with exactly one leading `Re: `: a run of leading re-prefixes (`Re:`,
    /// `RE:`, `Re[2]:`, `Re :`, full-width `Ｒｅ：`) becomes one, so no `Re: Re:`.
    public static func replySubject(_ subject: String) -> String {
        var rest = Substring(subject.trimmingCharacters(in: .whitespaces))
        while let stripped = withoutRePrefix(rest) { rest = stripped }
        return rest.isEmpty ? "Re:" : "Re: " + rest
    }

    /// `text` without one leading re-prefix and the blanks after it, or nil.
    private static func withoutRePrefix(_ text: Substring) -> Substring? {
        let normal = text.prefix(12).precomposedStringWithCompatibilityMapping.lowercased()
        guard normal.hasPrefix("re") else { return nil }
        // Map positions through the original text: compatibility forms (Ｒｅ：) are one
        // character each, like their ASCII forms.
        var index = text.index(text.startIndex, offsetBy: 2, limitedBy: text.endIndex) ?? text.endIndex
        func next() -> Character? { index < text.endIndex ? text[index] : nil }
        func isColon(_ c: Character) -> Bool { c == ":" || c == "：" }
        if next() == "[" || next() == "［" {
            var digits = text.index(after: index)
            while digits < text.endIndex, text[digits].isNumber { digits = text.index(after: digits) }
            guard digits < text.endIndex, text[digits] == "]" || text[digits] == "］" else { return nil }
            index = text.index(after: digits)
        }
        while let c = next(), c == " " { index = text.index(after: index) }
        guard let colon = next(), isColon(colon) else { return nil }
        index = text.index(after: index)
        while let c = next(), c.isWhitespace { index = text.index(after: index) }
        return text[index...]
    }

    /// The date and name line above the quote.
    /// - Parameters:
    ///   - date: when the original arrived (Unix seconds).
    ///   - name: the customer's display name; nil gives `お客様` / `you`.
    ///   - language: `ja` or `en`.
    ///   - timeZone: the time zone the time is written in.
    public static func attributionLine(date: Int64, name: String?, language: Language, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents(
            [.year, .month, .day, .weekday, .hour, .minute], from: Date(timeIntervalSince1970: Double(date)))
        let (year, month, day) = (parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
        let weekday = ((parts.weekday ?? 1) - 1) % 7
        let time = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        let cleanName = name.map(oneLine).flatMap { $0.isEmpty ? nil : $0 }
        switch language {
        case .ja:
            let days = ["日", "月", "火", "水", "木", "金", "土"]
            return "\(year)年\(month)月\(day)日(\(days[weekday])) \(time) " + (cleanName.map { "\($0) 様:" } ?? "お客様:")
        case .en:
            let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "On \(days[weekday]), \(months[(month - 1) % 12]) \(day), \(year) at \(time), "
                + (cleanName ?? "you") + " wrote:"
        }
    }

    /// `text` with every line prefixed `> ` (an empty line gets `>`), leading and
    /// trailing blank lines dropped, CR LF and lone CR read as line ends.
    public static func quoted(_ text: String) -> String {
        var source = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if source.count > maximumQuotedCharacters { source = String(source.prefix(maximumQuotedCharacters)) + "\n…" }
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        return lines.map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n")
    }

    /// The body of a new draft: two empty lines to write in, the attribution line, the
    /// quoted original, and the signature after an empty line (when there is one).
    /// - Parameters:
    ///   - original: the text of the answered message (its text part, or the text of
    ///     its HTML part); nil or empty leaves the quote out.
    ///   - attribution: `attributionLine(…)`.
    ///   - signature: the mailbox signature, or nil.
    public static func body(original: String?, attribution: String, signature: String?) -> String {
        var body = "\n\n"
        if let original, !original.allSatisfy(\.isWhitespace) {
            body += attribution + "\n" + quoted(original) + "\n"
        }
        if let signature = signature?.replacingOccurrences(of: "\r\n", with: "\n"),
            !signature.allSatisfy(\.isWhitespace)
        {
            body += "\n" + signature + (signature.hasSuffix("\n") ? "" : "\n")
        }
        return body
    }

    /// `text` with control characters and line breaks replaced by blanks.
    static func oneLine(_ text: String) -> String {
        String(
            text.unicodeScalars.map { scalar -> Character in
                scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
                    || scalar == "\u{85}" ? " " : Character(scalar)
            }
        ).trimmingCharacters(in: .whitespaces)
    }
}
