// String+Blanks: `trimmingBlanks()`, which strips only the blanks of RFC 5322 header
// syntax (space, tab, CR, LF) from both ends.

extension String {
    /// The string without leading and trailing blanks (space, tab, CR, LF).
    func trimmingBlanks() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        func blank(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n"
        }
        while start < end && blank(scalars[start]) { start = scalars.index(after: start) }
        while end > start && blank(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        if start == scalars.startIndex && end == scalars.endIndex { return self }
        return String(scalars[start..<end])
    }
}
