// IMAPResponseReader: a real RFC 3501 response parser over a LineReader: atoms,
// quoted strings, literals, nested lists, status responses with codes. SECURITY
// (B1, B2, B9): literal sizes are plain digits within uint32 and a cap, never `{n+}`
// from a server; a message literal is streamed to a sink in chunks; every other byte
// of a response (its lines and other literals) counts against one protocol allowance,
// so a response is at most mail_max_message_size plus that allowance; literal content
// is never parsed.

import MadoguchiCore

/// Reads one IMAP response at a time.
final class IMAPResponseReader {
    private let reader: LineReader
    private let maxBodySize: Int
    /// Bytes of a response besides its message body: lines and other literals.
    let allowance: Int
    private var line: [UInt8] = []
    private var pos = 0
    private var budget = 0
    private var tokens = 0
    private var bodyTaken = false

    private static let maxDepth = 32
    private static let maxTokens = 100_000

    /// Creates a parser.
    /// - Parameters:
    ///   - reader: the connection's buffered reader (shared with the session).
    ///   - maxBodySize: largest message literal accepted, in bytes.
    init(reader: LineReader, maxBodySize: Int) {
        self.reader = reader
        self.maxBodySize = maxBodySize
        allowance = Self.allowance(maxLineLength: reader.maxLineLength)
    }

    /// What one response may hold besides its message body: four of the longest lines
    /// (a FETCH response with a body is two lines and the literal).
    static func allowance(maxLineLength: Int) -> Int { 4 * maxLineLength }

    /// Reads the next response.
    /// - Parameter body: receives the `BODY[]`/`RFC822` literal of a FETCH response.
    ///   Without it such literals are read into memory within the response budget.
    /// - Throws: `FetchError.protocolViolation`, `FetchError.messageTooLarge` (uid ""),
    ///   `NetworkError`, and whatever `body` throws.
    func next(body: IMAPBodySink? = nil) throws -> IMAPResponse {
        line = try reader.readLine()
        pos = 0
        budget = allowance - line.count
        tokens = 0
        bodyTaken = false
        guard !line.isEmpty else { throw violation("empty response line") }
        if line[0] == UInt8(ascii: "+") {
            pos = 1
            skipSpaces()
            return .continuation(text: restOfLine())
        }
        let tag = word()
        guard !tag.isEmpty, pos < line.count, line[pos] == 0x20 else { throw violation("malformed response") }
        pos += 1
        if tag == "*" {
            let first = word()
            if let status = IMAPStatus(rawValue: first.uppercased()) {
                let (code, text) = try statusRest()
                return .untaggedStatus(status: status, code: code, text: text)
            }
            if let number = IMAPValue.atom(first).number {
                guard pos < line.count, line[pos] == 0x20 else { throw violation("malformed untagged data") }
                pos += 1
                let name = word().uppercased()
                guard !name.isEmpty else { throw violation("malformed untagged data") }
                let values = try sequence(closer: false, depth: 0, fetchTop: name == "FETCH", fetchItems: false, body)
                return .data(number: number, name: name, values: values)
            }
            guard !first.isEmpty else { throw violation("malformed untagged response") }
            let values = try sequence(closer: false, depth: 0, fetchTop: false, fetchItems: false, nil)
            return .data(number: nil, name: first.uppercased(), values: values)
        }
        guard tag.utf8.count <= 64, tag.utf8.allSatisfy(Self.isAtomChar) else { throw violation("malformed tag") }
        let statusWord = word().uppercased()
        guard let status = IMAPStatus(rawValue: statusWord), [.ok, .no, .bad].contains(status) else {
            throw violation("malformed tagged status")
        }
        let (code, text) = try statusRest()
        return .tagged(tag: tag, status: status, code: code, text: text)
    }

    // MARK: - Lexing within the current line

    private func violation(_ what: String) -> FetchError {
        .protocolViolation(what + ": " + FetchError.serverText(line.prefix(120)))
    }

    private func skipSpaces() {
        while pos < line.count && line[pos] == 0x20 { pos += 1 }
    }

    private func restOfLine() -> String {
        defer { pos = line.count }
        return String(decoding: line[pos...], as: UTF8.self)
    }

    /// Characters up to the next space (or end of line).
    private func word() -> String {
        let begin = pos
        while pos < line.count && line[pos] != 0x20 { pos += 1 }
        return String(decoding: line[begin..<pos], as: UTF8.self)
    }

    /// `[code] text` after a status word; resp-text never contains literals.
    private func statusRest() throws -> (String?, String) {
        skipSpaces()
        var code: String?
        if pos < line.count && line[pos] == UInt8(ascii: "[") {
            guard let close = line[pos...].firstIndex(of: UInt8(ascii: "]")) else {
                throw violation("unterminated response code")
            }
            code = String(decoding: line[(pos + 1)..<close], as: UTF8.self)
            pos = close + 1
            skipSpaces()
        }
        return (code, restOfLine())
    }

    private static func isAtomChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0..<0x21, 0x7F, UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "\""): false
        default: true
        }
    }

    // MARK: - Values

    /// Parses values up to `)` (when `closer`) or the end of the response.
    /// `fetchItems` marks the item list of a FETCH response, where the value after
    /// `BODY[]`/`RFC822` goes to the body sink.
    private func sequence(
        closer: Bool, depth: Int, fetchTop: Bool, fetchItems: Bool, _ body: IMAPBodySink?
    ) throws -> [IMAPValue] {
        var values: [IMAPValue] = []
        while true {
            skipSpaces()
            if pos >= line.count {
                if closer { throw violation("unterminated list") }
                return values
            }
            if line[pos] == UInt8(ascii: ")") {
                guard closer else { throw violation("unbalanced parenthesis") }
                pos += 1
                return values
            }
            tokens += 1
            guard tokens <= Self.maxTokens else { throw violation("too many tokens in one response") }
            var sink: IMAPBodySink?
            if fetchItems, values.count % 2 == 1, let name = values.last?.atomText, Self.isBodyItem(name) {
                sink = body
            }
            let value = try self.value(depth: depth, fetchTop: fetchTop, body: body, sink: sink)
            values.append(value)
        }
    }

    /// `BODY[]`, `BODY[]<0>` or `RFC822`: the whole message.
    private static func isBodyItem(_ name: String) -> Bool {
        let upper = name.uppercased()
        return upper == "RFC822" || upper == "BODY[]" || upper.hasPrefix("BODY[]<")
    }

    private func value(depth: Int, fetchTop: Bool, body: IMAPBodySink?, sink: IMAPBodySink?) throws -> IMAPValue {
        switch line[pos] {
        case UInt8(ascii: "("):
            guard depth < Self.maxDepth else { throw violation("lists nested too deeply") }
            pos += 1
            let items = try sequence(closer: true, depth: depth + 1, fetchTop: false, fetchItems: fetchTop, body)
            return .list(items)
        case UInt8(ascii: "\""):
            let bytes = try quoted()
            if let sink { return try deliver(bytes, to: sink) }
            return .string(bytes)
        case UInt8(ascii: "{"):
            return try literal(sink: sink)
        default:
            return .atom(try atom())
        }
    }

    private func deliver(_ bytes: [UInt8], to sink: IMAPBodySink) throws -> IMAPValue {
        guard !bodyTaken else { throw violation("two message bodies in one response") }
        bodyTaken = true
        guard bytes.count <= maxBodySize else {
            throw FetchError.messageTooLarge(uid: "", size: bytes.count, limit: maxBodySize)
        }
        try bytes.withUnsafeBytes { try sink($0) }
        return .streamed(bytes.count)
    }

    private func quoted() throws -> [UInt8] {
        pos += 1
        var bytes: [UInt8] = []
        while pos < line.count {
            let byte = line[pos]
            pos += 1
            switch byte {
            case UInt8(ascii: "\""):
                return bytes
            case UInt8(ascii: "\\"):
                guard pos < line.count, line[pos] == UInt8(ascii: "\"") || line[pos] == UInt8(ascii: "\\") else {
                    throw violation("bad escape in quoted string")
                }
                bytes.append(line[pos])
                pos += 1
            default:
                bytes.append(byte)
            }
        }
        throw violation("unterminated quoted string")
    }

    private func atom() throws -> String {
        let begin = pos
        while pos < line.count {
            let byte = line[pos]
            if byte == UInt8(ascii: "[") {
                guard let close = line[pos...].firstIndex(of: UInt8(ascii: "]")) else {
                    throw violation("unterminated section")
                }
                pos = close + 1
                continue
            }
            guard Self.isAtomChar(byte) else { break }
            pos += 1
        }
        guard pos > begin else { throw violation("unexpected character") }
        return String(decoding: line[begin..<pos], as: UTF8.self)
    }

    /// `{n}` CRLF and n bytes; then the response continues on the next line.
    private func literal(sink: IMAPBodySink?) throws -> IMAPValue {
        guard let close = line[pos...].firstIndex(of: UInt8(ascii: "}")), close == line.count - 1 else {
            throw violation("literal size not at end of line")
        }
        let digits = line[(pos + 1)..<close]
        guard (1...10).contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let size = Int(String(decoding: digits, as: UTF8.self)), size <= Int(UInt32.max)
        else { throw violation("bad literal size") }
        let result: IMAPValue
        if let sink {
            guard !bodyTaken else { throw violation("two message bodies in one response") }
            bodyTaken = true
            guard size <= maxBodySize else {
                throw FetchError.messageTooLarge(uid: "", size: size, limit: maxBodySize)
            }
            try reader.readExact(size, into: sink)
            result = .streamed(size)
        } else {
            guard size <= budget else { throw overBudget() }
            budget -= size
            var bytes: [UInt8] = []
            try reader.readExact(size) { bytes.append(contentsOf: $0) }
            result = .string(bytes)
        }
        line = try reader.readLine()
        pos = 0
        budget -= line.count
        guard budget >= 0 else { throw overBudget() }
        return result
    }

    /// B9: a response that goes on line after line (each ending in `{0}`) or literal
    /// after literal is cut off here, before it can fill memory.
    private func overBudget() -> FetchError {
        .protocolViolation(
            "response larger than \(allowance) bytes besides the message body (B9): "
                + FetchError.serverText(line.prefix(120)))
    }
}
