// String+Blanks: `trimmingBlanks()`, which strips only the blanks of RFC 5322 and
// RFC 9110 field syntax (space, tab, CR, LF) from both ends — for mail headers and
// HTTP fields alike.

extension StringProtocol {
    /// The text without leading and trailing blanks (space, tab, CR, LF).
    public func trimmingBlanks() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        func blank(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n"
        }
        while start < end && blank(scalars[start]) { start = scalars.index(after: start) }
        while end > start && blank(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        var trimmed = String.UnicodeScalarView()
        trimmed.append(contentsOf: scalars[start..<end])
        return String(trimmed)
    }
}
