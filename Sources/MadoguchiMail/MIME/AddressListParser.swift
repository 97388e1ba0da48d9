// AddressListParser: RFC 5322 address lists (display names, quoted strings,
// comments, groups flattened, obsolete routes) with RFC 6532 UTF-8 and RFC 2047
// display names, including the encoded words inside quotes that Japanese mailers
// write. Lenient: never fails; garbage yields fewer addresses; a named null address
// ("MAILER DAEMON <>") is a mailbox with an empty address. Comment nesting is
// bounded so hostile input cannot recurse.

/// Parses address header values.
enum AddressListParser {
    private enum Token {
        case word(Range<Int>)  // atom or dot-atom text
        case quoted([UInt8])  // quoted-string content, unescaped
        case comment(Range<Int>)  // comment content (outermost)
        case angle(Range<Int>)  // <...> content
        case special(UInt8)  // , ; : @ and stray characters
    }

    /// Parses an unfolded header value into mailboxes (groups flattened).
    static func parse(_ raw: [UInt8]) -> [MailAddress] {
        raw.withUnsafeBufferPointer { parse(buffer: $0) }
    }

    private static func parse(buffer raw: UnsafeBufferPointer<UInt8>) -> [MailAddress] {
        let tokens = tokenize(raw)
        var result: [MailAddress] = []
        var current: [Token] = []
        func finish() {
            if let mailbox = mailbox(from: current, raw) { result.append(mailbox) }
            current.removeAll(keepingCapacity: true)
        }
        for token in tokens {
            if case .special(let char) = token {
                switch char {
                case 0x2C, 0x3B:  // , ;
                    finish()
                    continue
                case 0x3A:  // group "name:" (outside angles): drop the group name
                    if !current.contains(where: { if case .special(0x40) = $0 { return true } else { return false } }) {
                        current.removeAll(keepingCapacity: true)
                        continue
                    }
                default:
                    break
                }
            }
            current.append(token)
        }
        finish()
        return result
    }

    private static func tokenize(_ raw: UnsafeBufferPointer<UInt8>) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        let count = raw.count
        while index < count {
            let char = raw[index]
            switch char {
            case 0x20, 0x09, 0x0D, 0x0A:
                index += 1
            case 0x22:
                var content = [UInt8]()
                index += 1
                while index < count && raw[index] != 0x22 {
                    if raw[index] == 0x5C && index + 1 < count && raw[index - 1] < 0x80 {
                        content.append(raw[index + 1])
                        index += 2
                    } else {
                        content.append(raw[index])
                        index += 1
                    }
                }
                index += 1
                tokens.append(.quoted(content))
            case 0x28:
                let start = index + 1
                var depth = 0
                while index < count {
                    let byte = raw[index]
                    if byte == 0x5C {
                        index += 2
                        continue
                    }
                    if byte == 0x28 { depth += 1 }
                    if byte == 0x29 {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    index += 1
                }
                let end = min(index, count)
                tokens.append(.comment(start..<max(start, end)))
                index = end + 1
            case 0x3C:
                let start = index + 1
                var end = start
                while end < count && raw[end] != 0x3E { end += 1 }
                tokens.append(.angle(start..<end))
                index = end + 1
            case 0x2C, 0x3B, 0x3A, 0x40, 0x3E, 0x29, 0x5B, 0x5D:
                tokens.append(.special(char))
                index += 1
            default:
                let start = index
                while index < count {
                    let byte = raw[index]
                    if byte <= 0x20 || byte == 0x22 || byte == 0x28 || byte == 0x29 || byte == 0x3C || byte == 0x3E
                        || byte == 0x2C || byte == 0x3B || byte == 0x3A || byte == 0x40 || byte == 0x5B
                        || byte == 0x5D
                    {
                        break
                    }
                    index += 1
                }
                if index == start {
                    // A control character: not part of any token.
                    index += 1
                    continue
                }
                tokens.append(.word(start..<index))
            }
        }
        return tokens
    }

    /// Builds one mailbox from the tokens between separators.
    private static func mailbox(from tokens: [Token], _ raw: UnsafeBufferPointer<UInt8>) -> MailAddress? {
        if tokens.isEmpty { return nil }
        var angle: Range<Int>? = nil
        for token in tokens {
            if case .angle(let range) = token {
                angle = range
                break
            }
        }
        var phrase: [UInt8] = []
        var commentText: [UInt8] = []
        func appendPhrase(_ bytes: UnsafeBufferPointer<UInt8>) {
            if !phrase.isEmpty { phrase.append(0x20) }
            phrase.append(contentsOf: bytes)
        }
        var address: [UInt8] = []
        if let angle {
            address = addrSpec(UnsafeBufferPointer(rebasing: raw[angle]))
            for token in tokens {
                switch token {
                case .word(let range): appendPhrase(UnsafeBufferPointer(rebasing: raw[range]))
                case .quoted(let bytes): bytes.withUnsafeBufferPointer { appendPhrase($0) }
                case .special(let char) where char == 0x40 || char == 0x3A:
                    phrase.append(char)
                case .comment(let range) where commentText.isEmpty:
                    commentText = Array(raw[range])
                default: break
                }
                if case .angle = token { break }
            }
        } else {
            for token in tokens {
                switch token {
                case .word(let range): address.append(contentsOf: raw[range])
                case .quoted(let bytes):
                    address.append(0x22)
                    address.append(contentsOf: bytes)
                    address.append(0x22)
                case .special(let char) where char != 0x3E && char != 0x29:
                    address.append(char)
                case .comment(let range) where commentText.isEmpty:
                    commentText = Array(raw[range])
                default: break
                }
            }
        }
        let nameBytes = phrase.isEmpty ? commentText : phrase
        var name: String? = nil
        if !nameBytes.isEmpty {
            let decoded = nameBytes.withUnsafeBufferPointer { EncodedWords.decodeToUTF8($0) }
            let text = String(decoding: decoded, as: UTF8.self).trimmingBlanks()
            if !text.isEmpty { name = text }
        }
        if address.isEmpty {
            // The null address "<>" of bounces keeps its display name ("MAILER DAEMON <>").
            guard angle != nil, let name else { return nil }
            return MailAddress(name: name, address: "")
        }
        let text = String(decoding: address.withUnsafeBufferPointer { EncodedWords.decodeToUTF8($0) }, as: UTF8.self)
        return MailAddress(name: name, address: text.lowercased())
    }

    /// The addr-spec inside angle brackets: blanks and comments removed, an obsolete
    /// route ("@a,@b:") dropped.
    private static func addrSpec(_ inner: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        var depth = 0
        var inQuote = false
        while index < inner.count {
            let byte = inner[index]
            index += 1
            if inQuote {
                out.append(byte)
                if byte == 0x22 { inQuote = false }
                continue
            }
            if byte == 0x28 {
                depth += 1
                continue
            }
            if byte == 0x29 {
                depth = max(0, depth - 1)
                continue
            }
            if depth > 0 || byte == 0x20 || byte == 0x09 { continue }
            if byte == 0x22 { inQuote = true }
            if byte == 0x3A && out.first == 0x40 {
                out.removeAll()
                continue
            }
            out.append(byte)
        }
        return out
    }
}
