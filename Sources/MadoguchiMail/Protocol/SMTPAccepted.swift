// SMTPAccepted: what the relay answered when it took a message: its final 2xx reply
// and the queue id it named, for the reply's record and the operator.

import Foundation

/// A message the relay accepted (2xx after the final dot).
public struct SMTPAccepted: Sendable, Equatable {
    /// The relay's final reply.
    public var reply: SMTPReply
    /// The queue id from `queued as ID` (Postfix) or `id=ID` (Exim), or nil.
    public var queueID: String?

    /// Creates an acceptance; the queue id is read from the reply text.
    public init(reply: SMTPReply) {
        self.reply = reply
        queueID = SMTPAccepted.queueID(in: reply.text)
    }

    /// The id after `queued as ` or `id=`: 1 to 64 letters, digits, `.`, `-` or `_`.
    static func queueID(in text: String) -> String? {
        for marker in ["queued as ", "id="] {
            guard let range = text.range(of: marker, options: .caseInsensitive) else { continue }
            let id = text[range.upperBound...].prefix {
                $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_")
            }
            if (1...64).contains(id.count) { return String(id) }
        }
        return nil
    }
}
