// HeaderWriter: header fields as folded lines (RFC 5322 section 2.2.3). A value is
// a list of tokens (words, encoded words, addresses, parameters) separated by
// single blanks; a fold goes before a token that would take its line past 78
// characters, never inside one. Every token the composer makes is at most 256
// characters, so no line comes near the 998 limit (section 2.1.1).

/// Builds a header block.
struct HeaderWriter {
    /// The column a line should not pass (RFC 5322 section 2.1.1).
    static let foldColumn = 78

    /// The header lines so far, each ended by CRLF.
    private(set) var bytes: [UInt8] = []

    /// Appends the field `name` with `tokens` separated by blanks or folds.
    mutating func field(_ name: String, _ tokens: [[UInt8]]) {
        bytes += name.utf8
        bytes.append(0x3A)
        var column = name.utf8.count + 1
        for (position, token) in tokens.enumerated() {
            if position > 0 && column + 1 + token.count > HeaderWriter.foldColumn {
                bytes += [0x0D, 0x0A]
                column = 0
            }
            bytes.append(0x20)
            bytes += token
            column += 1 + token.count
        }
        bytes += [0x0D, 0x0A]
    }

    /// Appends the field `name` with one ASCII token.
    mutating func field(_ name: String, _ value: String) {
        field(name, [Array(value.utf8)])
    }

    /// Ends the header block (the empty line).
    mutating func end() {
        bytes += [0x0D, 0x0A]
    }
}
