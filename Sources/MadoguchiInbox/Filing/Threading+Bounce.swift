// Threading+Bounce: which of our replies a bounce is about. A delivery status
// notification (RFC 3464: multipart/report; report-type=delivery-status, as Postfix's
// bounce(8) sends it, with the returned message as message/rfc822 or its header as
// text/rfc822-headers) or a plain MAILER-DAEMON message quoting the original carries
// the Message-ID we gave the reply; only one whose code verifies
// (`outgoingReference`) counts, so a forged bounce attaches nothing (A25).

import MadoguchiCrypto
import MadoguchiMail

extension Threading {
    /// What a bounce says about one of our replies.
    struct BounceReference: Equatable {
        /// The inquiry our Message-ID names (verified).
        var inquiryID: Int64
        /// Our Message-ID, without angle brackets.
        var messageID: String
        /// A short reason for the page: the DSN's status and diagnostic, else the subject.
        var reason: String
    }

    /// The content types that carry the returned message or its header.
    static let returnedMessageTypes: Set<String> = [
        "message/rfc822", "text/rfc822-headers", "message/rfc822-headers", "message/global",
        "message/global-headers",
    ]

    /// The reply a bounce is about: first the Message-ID field of a returned message or
    /// header part, then any `<madoguchi.…>` id in those parts or the text body; the
    /// first that verifies. Without one, the inquiry the first id in our format but
    /// with a wrong code names (a claim, A25).
    /// - Throws: `CryptoError`.
    static func bounceReference(in message: ParsedMessage, keys: KeyRing) throws
        -> (reference: BounceReference?, forged: Int64?)
    {
        let returned = message.attachments.filter { returnedMessageTypes.contains($0.contentType) }
        var candidates: [String] = []
        let parser = MessageParser(limits: .standard)
        for part in returned {
            if let id = parser.parse(part.data).messageID { candidates.append(id) }
        }
        for part in returned { candidates += ourIDs(in: part.data) }
        if let text = message.textBody { candidates += ourIDs(in: Array(text.utf8)) }
        var forged: Int64?
        for id in candidates {
            switch try outgoingReference(id, keys: keys) {
            case .verified(let inquiryID):
                return (BounceReference(inquiryID: inquiryID, messageID: id, reason: bounceReason(message)), nil)
            case .forged(let inquiryID): forged = forged ?? inquiryID
            case nil: break
            }
        }
        return (nil, forged)
    }

    /// Every `<madoguchi.…>` id in `bytes` (without brackets, at most 300 bytes each).
    static func ourIDs(in bytes: [UInt8]) -> [String] {
        let prefix = Array("<\(messageIDPrefix).".utf8)
        var ids: [String] = []
        var index = 0
        while index + prefix.count <= bytes.count, ids.count < 20 {
            guard bytes[index] == prefix[0],
                zip(bytes[index..<(index + prefix.count)], prefix).allSatisfy({ $0 | 0x20 == $1 | 0x20 })
            else {
                index += 1
                continue
            }
            let start = index + 1
            var end = start
            while end < bytes.count, end - start < 300, bytes[end] != 0x3E, bytes[end] > 0x20 { end += 1 }
            if end < bytes.count, bytes[end] == 0x3E { ids.append(String(decoding: bytes[start..<end], as: UTF8.self)) }
            index = end
        }
        return ids
    }

    /// `bounced: <status> <diagnostic>` from a message/delivery-status part (its first
    /// per-recipient `Status` and `Diagnostic-Code`), else `bounced: <subject>`; one
    /// line, at most 300 characters.
    static func bounceReason(_ message: ParsedMessage) -> String {
        var status: String?
        var diagnostic: String?
        for part in message.attachments where part.contentType == "message/delivery-status" {
            let text = String(decoding: part.data, as: UTF8.self)
            for line in text.split(whereSeparator: \.isNewline) {
                let lower = line.lowercased()
                if status == nil, lower.hasPrefix("status:") { status = String(line.dropFirst(7)) }
                if diagnostic == nil, lower.hasPrefix("diagnostic-code:") { diagnostic = String(line.dropFirst(16)) }
            }
        }
        var reason = [status, diagnostic].compactMap { $0?.trimmingWhitespace() }.filter { !$0.isEmpty }
            .joined(separator: " ")
        if reason.isEmpty { reason = message.subject ?? "delivery failed" }
        let line = String(reason.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        return "bounced: " + String(line.prefix(300))
    }
}
