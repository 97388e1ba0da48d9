// SMTPReply: one reply of an SMTP server: its code (RFC 5321 4.2), the enhanced
// status code when given (RFC 3463) and its text. SECURITY: the text is kept for the
// operator but made safe first (controls escaped, shortened, secrets cut out) and is
// never interpreted.

/// A (possibly multi-line) SMTP reply.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    /// The three-digit reply code.
    public var code: Int
    /// The RFC 3463 status code (`5.1.1`) at the start of the first line, or nil.
    public var enhancedCode: String?
    /// The text of all lines joined by spaces, escaped and at most 300 characters.
    public var text: String

    /// Creates a reply.
    public init(code: Int, enhancedCode: String? = nil, text: String) {
        self.code = code
        self.enhancedCode = enhancedCode
        self.text = text
    }

    /// 2xx.
    public var isPositive: Bool { code / 100 == 2 }
    /// 4xx: try again later (RFC 5321 4.2.1).
    public var isTransient: Bool { code / 100 == 4 }
    /// 5xx: refused for good.
    public var isPermanent: Bool { code / 100 == 5 }

    /// `550 5.1.1 text`.
    public var description: String {
        ([String(code)] + (enhancedCode.map { [$0] } ?? []) + (text.isEmpty ? [] : [text])).joined(separator: " ")
    }

    /// Builds a reply from the raw lines' texts (after `ddd-`), safe to show.
    /// - Parameters:
    ///   - code: the reply code.
    ///   - lines: each line's text.
    ///   - secrets: strings cut out of the text (the password and its encodings).
    init(code: Int, lines: [[UInt8]], hiding secrets: [String]) {
        let enhanced = SMTPReply.enhancedCode(in: lines.first ?? [], code: code)
        var joined: [UInt8] = []
        for var line in lines where joined.count < 4096 {
            // RFC 3463 puts the status code on every line; keep it once.
            if let enhanced, line.starts(with: Array(enhanced.utf8) + [0x20]) || line == Array(enhanced.utf8) {
                line = Array(line.dropFirst(enhanced.utf8.count).drop { $0 == 0x20 })
            }
            joined += (joined.isEmpty ? [] : [0x20]) + line
        }
        enhancedCode = enhanced
        self.code = code
        text = FetchError.serverText(joined, hiding: secrets)
    }

    /// RFC 3463: `class.subject.detail`, class equal to the reply's first digit, each
    /// part 1 to 3 digits, followed by a space or the end of the line.
    private static func enhancedCode(in line: [UInt8], code: Int) -> String? {
        let end = line.firstIndex(of: 0x20) ?? line.endIndex
        let token = line[..<end]
        let parts = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 1, parts[0].first == UInt8(ascii: "0") + UInt8(code / 100),
            parts.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } })
        else { return nil }
        return String(decoding: token, as: UTF8.self)
    }
}
