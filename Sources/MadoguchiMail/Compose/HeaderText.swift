// HeaderText: operator text made safe for an unstructured header (Subject) or a
// display name (C1). The web page passes what an operator typed or pasted, so
// line breaks and controls are replaced rather than refused: every line break
// (CRLF, CR, LF, NEL, U+2028, U+2029) becomes one space, and so does every other
// C0 or C1 control, DEL and TAB; leading and trailing blanks are dropped. What is
// left cannot end a header line, whatever is encoded afterwards.

/// Cleaning of header text.
enum HeaderText {
    /// `text` with line breaks and controls replaced by single spaces, trimmed.
    static func clean(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0x0A && previousCR {
                previousCR = false
                continue
            }
            previousCR = value == 0x0D
            if isControl(value) {
                scalars.append(" ")
            } else {
                scalars.append(scalar)
            }
        }
        var result = Substring(String(scalars))
        while result.first == " " { result.removeFirst() }
        while result.last == " " { result.removeLast() }
        return String(result)
    }

    /// C0 controls (TAB, CR and LF included), DEL, C1 controls (NEL included) and the
    /// Unicode line and paragraph separators.
    static func isControl(_ value: UInt32) -> Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
    }
}
