// MessageParser: raw RFC 5322/MIME bytes to a ParsedMessage. Never throws and
// never recurses: the MIME tree is walked with an explicit stack bounded by
// MailLimits (depth, parts, header fields and size, message size); a message past
// a limit gets `.malformed(reason:)` with its raw bytes and a best-effort result.
// Body rule: see `MessageParser+Bodies.swift`.

/// The mail parser.
public struct MessageParser: Sendable {
    /// The bounds applied to every message.
    public let limits: MailLimits

    /// Creates a parser.
    public init(limits: MailLimits) {
        self.limits = limits
    }

    /// Parses one message. Never fails; see `ParsedMessage.verdict`.
    public func parse(_ raw: [UInt8]) -> ParsedMessage {
        raw.withUnsafeBufferPointer { buffer in
            var walker = MIMEWalker(bytes: buffer, limits: limits)
            let top = HeaderBlockParser.parse(buffer, range: 0..<buffer.count, limits: limits)
            if let problem = top.problem { walker.note(problem) }
            if buffer.count > limits.maxMessageSize {
                walker.note("message larger than \(limits.maxMessageSize) bytes")
            } else {
                walker.walk(top: top)
            }
            let headers = HeaderFields(top.fields)
            return ParsedMessage(
                raw: raw, headers: headers,
                subject: headers.rawFirst(Key.subject).map { EncodedWords.decode($0) },
                from: addresses(headers, Key.from, all: false),
                to: addresses(headers, Key.to, all: true),
                cc: addresses(headers, Key.cc, all: true),
                replyTo: addresses(headers, Key.replyTo, all: false),
                date: headers.rawFirst(Key.date).flatMap { MailDate.parse($0) },
                messageID: headers.rawFirst(Key.messageID).flatMap { MessageIDList.ids($0).first },
                inReplyTo: headers.rawFirst(Key.inReplyTo).flatMap { MessageIDList.ids($0).first },
                references: headers.rawFirst(Key.references).map { MessageIDList.ids($0) } ?? [],
                textBody: walker.textBody.map { String(decoding: $0, as: UTF8.self) },
                htmlBody: walker.htmlBody.map { String(decoding: $0, as: UTF8.self) },
                attachments: walker.attachments,
                verdict: walker.problem.map { .malformed(reason: $0) } ?? .ok)
        }
    }

    private func addresses(_ headers: HeaderFields, _ key: [UInt8], all: Bool) -> [MailAddress] {
        var result: [MailAddress] = []
        for field in headers.fields where field.isNamed(key) {
            result += AddressListParser.parse(field.rawValue)
            if !all { break }
        }
        return result
    }

    /// Lower-cased field names the parser reads.
    enum Key {
        static let subject = Array("subject".utf8)
        static let from = Array("from".utf8)
        static let to = Array("to".utf8)
        static let cc = Array("cc".utf8)
        static let replyTo = Array("reply-to".utf8)
        static let date = Array("date".utf8)
        static let messageID = Array("message-id".utf8)
        static let inReplyTo = Array("in-reply-to".utf8)
        static let references = Array("references".utf8)
        static let contentType = Array("content-type".utf8)
        static let contentDisposition = Array("content-disposition".utf8)
        static let transferEncoding = Array("content-transfer-encoding".utf8)
        static let contentID = Array("content-id".utf8)
    }
}
