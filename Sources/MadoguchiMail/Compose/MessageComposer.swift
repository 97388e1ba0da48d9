// MessageComposer: a reply to the bytes of an RFC 5322 / MIME message (RFC 2045,
// 2046, 2047, 2231). Header fields, each exactly once and in this order: Date,
// From, To, Subject, Message-ID, In-Reply-To and References (when there are valid
// ids), MIME-Version, Content-Type, Content-Transfer-Encoding. There is never a Cc
// or Bcc field, and the envelope is the validated From and To (C2). Every header
// value is built from validated or cleaned parts (C1, C3) and folded at 78
// columns; bodies are 7bit, quoted-printable or base64 with CRLF line ends (C4).
// The output is plain 7-bit ASCII with no line over 998 octets.

/// Composes outgoing messages.
public enum MessageComposer {
    /// Most References ids kept: the first (the thread's root) and the last 19.
    public static let maxReferences = 20

    /// Composes a reply.
    /// - Parameter message: the reply.
    /// - Returns: the message bytes for SMTP DATA (before dot-stuffing) and its envelope.
    /// - Throws: `ComposeError.invalidMessageID` if `message.messageID` is not a valid
    ///   msg-id; `ComposeError.unencodable` with the subject's and body's characters
    ///   ISO-2022-JP cannot carry.
    public static func compose(_ message: OutgoingMessage) throws(ComposeError) -> ComposedMessage {
        guard let messageID = MessageIDGrammar.normalized(message.messageID) else { throw .invalidMessageID }
        let inReplyTo = message.inReplyTo.flatMap(MessageIDGrammar.normalized)
        let references = referenceList(message.references, inReplyTo: inReplyTo)
        let charset = message.charset
        let subject = HeaderText.clean(message.subject)
        let subjectTokens = unstructured(subject, charset: charset, firstLength: HeaderWriter.foldColumn - 9)
        let body = TextBody(message.text, charset: charset)
        guard let subjectTokens, let body else {
            var texts: [String] = []
            if subjectTokens == nil { texts.append(subject) }
            if body == nil { texts.append(String(decoding: TextBody.normalized(message.text), as: UTF8.self)) }
            throw .unencodable(charset: charset, characters: unencodable(texts))
        }

        var header = HeaderWriter()
        let seconds = Int64(message.date.timeIntervalSince1970.rounded(.down))
        header.field("Date", MailDate.format(seconds, offset: message.timeZone.secondsFromGMT(for: message.date)))
        header.field("From", mailbox(message.from, charset: charset, firstLength: HeaderWriter.foldColumn - 6))
        header.field("To", mailbox(message.to, charset: charset, firstLength: HeaderWriter.foldColumn - 4))
        header.field("Subject", subjectTokens)
        header.field("Message-ID", messageID)
        if let inReplyTo { header.field("In-Reply-To", inReplyTo) }
        if !references.isEmpty { header.field("References", references.map { Array($0.utf8) }) }
        header.field("MIME-Version", "1.0")
        var bytes: [UInt8]
        if message.attachments.isEmpty {
            textHeaders(body, into: &header)
            header.end()
            bytes = header.bytes
            bytes += body.bytes
        } else {
            let boundary = Array(makeBoundary(avoiding: body.bytes).utf8)
            header.field(
                "Content-Type", [Array("multipart/mixed;".utf8), Array("boundary=\"".utf8) + boundary + [0x22]])
            header.field("Content-Transfer-Encoding", "7bit")
            header.end()
            bytes = header.bytes
            bytes.reserveCapacity(
                bytes.count + body.bytes.count
                    + message.attachments.reduce(0) { $0 + TransferEncoding.base64Length($1.data.count) + 400 })
            // The CRLF before a delimiter belongs to it (RFC 2046 section 5.1.1), so each
            // part's own last CRLF is followed by one more.
            let delimiter = [0x0D, 0x0A, 0x2D, 0x2D] + boundary
            bytes += delimiter.dropFirst(2) + [0x0D, 0x0A]
            var part = HeaderWriter()
            textHeaders(body, into: &part)
            part.end()
            bytes += part.bytes
            bytes += body.bytes
            for attachment in message.attachments {
                bytes += delimiter + [0x0D, 0x0A]
                attachmentPart(attachment, into: &bytes)
            }
            bytes += delimiter + [0x2D, 0x2D, 0x0D, 0x0A]
        }
        return ComposedMessage(bytes: bytes, envelopeFrom: message.from.address, recipients: [message.to.address])
    }

    private static func textHeaders(_ body: TextBody, into header: inout HeaderWriter) {
        header.field("Content-Type", [Array("text/plain;".utf8), Array("charset=\(body.charset.rawValue)".utf8)])
        header.field("Content-Transfer-Encoding", body.transferEncoding)
    }

    /// The valid ids of `references`, then `inReplyTo` if it is not among them; each
    /// once; the first and the last `maxReferences - 1` of more.
    static func referenceList(_ references: [String], inReplyTo: String?) -> [String] {
        var seen = Set<String>()
        var ids: [String] = []
        for id in references.compactMap(MessageIDGrammar.normalized) + (inReplyTo.map { [$0] } ?? [])
        where seen.insert(id).inserted {
            ids.append(id)
        }
        if ids.count > maxReferences { ids = [ids[0]] + ids.suffix(maxReferences - 1) }
        return ids
    }

    /// Tokens of unstructured text (Subject): its words when it is plain ASCII that
    /// cannot be mistaken for encoded words, else encoded words; nil if `charset`
    /// cannot carry it.
    private static func unstructured(_ text: String, charset: OutgoingCharset, firstLength: Int) -> [[UInt8]]? {
        if text.isEmpty { return [] }
        if let words = plainWords(text, maxWord: firstLength) { return words }
        return EncodedWordWriter.words(text, charset: charset, firstLength: firstLength)
    }

    /// The blank-separated words of `text` if it is printable ASCII without "=?",
    /// double blanks or a word longer than `maxWord`; nil otherwise.
    private static func plainWords(_ text: String, maxWord: Int) -> [[UInt8]]? {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), !contains(bytes, [0x3D, 0x3F]) else { return nil }
        let words = bytes.split(separator: 0x20, omittingEmptySubsequences: false)
        guard words.allSatisfy({ !$0.isEmpty && $0.count <= maxWord }) else { return nil }
        return words.map { Array($0) }
    }

    /// Tokens of a mailbox: `address`, or the display name (atoms, a quoted string
    /// or encoded words) and `<address>`.
    private static func mailbox(_ mailbox: OutgoingAddress, charset: OutgoingCharset, firstLength: Int) -> [[UInt8]] {
        let address = Array(mailbox.address.utf8)
        guard let name = mailbox.displayName else { return [address] }
        let bracketed = [0x3C] + address + [0x3E]
        let bytes = Array(name.utf8)
        if let words = plainWords(name, maxWord: firstLength),
            words.allSatisfy({ $0.allSatisfy(OutgoingAddress.isAtext) })
        {
            return words + [bracketed]
        }
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) && !contains(bytes, [0x3D, 0x3F]) {
            var quoted: [UInt8] = [0x22]
            for byte in bytes {
                if byte == 0x22 || byte == 0x5C { quoted.append(0x5C) }
                quoted.append(byte)
            }
            quoted.append(0x22)
            if quoted.count <= firstLength { return [quoted, bracketed] }
        }
        let words =
            EncodedWordWriter.words(name, charset: charset, firstLength: firstLength)
            ?? EncodedWordWriter.words(name, charset: .utf8, firstLength: firstLength) ?? []
        return words + [bracketed]
    }

    /// The characters of `texts` that a reply in `charset` cannot carry, each once, in
    /// order: none in UTF-8; in ISO-2022-JP those outside JIS X 0208 and the CP50221
    /// extensions (the check the reply editor and sending make before `compose` would
    /// refuse the reply in send-replies).
    public static func unencodableCharacters(in texts: [String], charset: OutgoingCharset) -> [Character] {
        charset == .utf8 ? [] : unencodable(texts)
    }

    /// The characters of `texts` ISO-2022-JP cannot carry, each once, in order.
    private static func unencodable(_ texts: [String]) -> [Character] {
        var seen = Set<Character>()
        var result: [Character] = []
        for text in texts {
            for character in text where !ISO2022JPEncoder.canEncode(character.unicodeScalars) {
                if seen.insert(character).inserted { result.append(character) }
            }
        }
        return result
    }

    /// A boundary that cannot occur in base64 or quoted-printable ("=_" starts it)
    /// and does not occur in `text` (a 7bit ISO-2022-JP body could hold anything).
    static func makeBoundary(avoiding text: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var generator = SystemRandomNumberGenerator()
        while true {
            var boundary = Array("=_madoguchi_".utf8)
            for _ in 0..<24 { boundary.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]) }
            if !contains(text, boundary) { return String(decoding: boundary, as: UTF8.self) }
        }
    }

    /// Whether `needle` occurs in `haystack`.
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return true
            }
            index += 1
        }
        return false
    }
}
