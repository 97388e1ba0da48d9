// HTMLSanitizationResult: what HTMLSanitizer.sanitize returns: a complete sanitized
// document, or over budget (the caller shows the text view instead; never a partial
// document pretending to be complete, madoguchi-security(7) A7).

/// The outcome of sanitizing one HTML part.
public enum HTMLSanitizationResult: Sendable, Equatable {
    /// The whole input was sanitized.
    case sanitized(SanitizedHTML)
    /// A budget was exceeded before the end; nothing of the input may be shown as HTML.
    case overBudget(HTMLSanitizer.Budget)

    /// The sanitized document, nil when over budget.
    public var document: SanitizedHTML? {
        if case .sanitized(let document) = self { return document }
        return nil
    }
}

/// A sanitized HTML document and what was taken out of it.
public struct SanitizedHTML: Sendable, Equatable {
    /// Well-formed HTML of allow-listed elements and attributes only, every element
    /// closed, all text and attribute values escaped.
    public var html: String
    /// Remote images, backgrounds, style sheets and CSS `url()`s removed (the page
    /// says "remote content blocked" when this is not zero).
    public var remoteContentBlocked: Int
    /// True when the input ended inside a tag, comment or dropped element (an
    /// unterminated `<img src='…`, madoguchi-security(7) A6): what followed that
    /// point is not shown.
    public var truncated: Bool
}
