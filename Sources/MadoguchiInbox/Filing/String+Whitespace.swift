// String+Whitespace: `trimmingWhitespace()`, which strips any Unicode white space from
// both ends of an address while CustomerAddress normalises it.

extension String {
    /// The string without leading and trailing white space (any Unicode white space).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
