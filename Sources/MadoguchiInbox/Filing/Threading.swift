// Threading: which inquiry a new message belongs to. In-Reply-To, then References
// (newest first), matched by the blind index of the Message-ID (our own sent replies
// included), then a `[#123]` subject tag; otherwise a new inquiry.
// SECURITY (A25): references are untrusted; a match attaches the message only when the
// found inquiry is in the same mailbox and belongs to the same customer.

import MadoguchiCrypto
import MadoguchiMail
import MadoguchiStore

/// Message-ID matching and inquiry lookup.
public enum Threading {
    /// How a message found its inquiry.
    public enum Match: String, Sendable, Equatable {
        /// Its own Message-ID was already filed (a re-delivery with other bytes).
        case sameMessageID
        /// `In-Reply-To` named a filed message.
        case inReplyTo
        /// One of `References` named a filed message.
        case references
        /// The subject carried `[#id]`.
        case subjectTag
    }

    /// The normal form of a Message-ID: blanks and angle brackets removed, the domain
    /// part (after the last `@`) lower-cased; the local part keeps its case (RFC 5322).
    /// - Returns: nil when nothing is left.
    public static func normalizeMessageID(_ id: String) -> String? {
        var text = id.filter { !$0.isWhitespace }
        if text.hasPrefix("<") { text.removeFirst() }
        if text.hasSuffix(">") { text.removeLast() }
        guard !text.isEmpty else { return nil }
        guard let at = text.lastIndex(of: "@") else { return text }
        return String(text[..<at]) + text[at...].lowercased()
    }

    /// The value of `messages.message_id_index` for a Message-ID: the blind index
    /// (`KeyRing.blindIndex`) of `message-id:` + its normal form. The prefix keeps it
    /// apart from customer address indexes made with the same key. Outgoing replies
    /// (direction `out`) must store theirs the same way so answers thread.
    /// - Returns: nil for an empty id.
    /// - Throws: `CryptoError`.
    public static func messageIDIndex(_ id: String, keys: KeyRing) throws -> [UInt8]? {
        guard let normal = normalizeMessageID(id) else { return nil }
        return try keys.blindIndex("message-id:" + normal)
    }

    /// The inquiry ids named by `[#123]` tags in a subject, in order (full-width forms
    /// such as `［＃１２３］` count after NFKC).
    public static func subjectTags(_ subject: String) -> [Int64] {
        let text = Array(NFKC.normalize(subject).utf8)
        var tags: [Int64] = []
        var index = 0
        while index + 3 < text.count {
            guard text[index] == 0x5B, text[index + 1] == 0x23 else {
                index += 1
                continue
            }
            var end = index + 2
            var value: Int64 = 0
            while end < text.count, (0x30...0x39).contains(text[end]), end - index < 20 {
                value = value * 10 + Int64(text[end] - 0x30)
                end += 1
            }
            if end > index + 2, end < text.count, text[end] == 0x5D, value > 0 { tags.append(value) }
            index = end
        }
        return tags
    }

    /// The inquiry a message joins, or nil for a new inquiry.
    /// - Parameters:
    ///   - message: the parsed message.
    ///   - ownIndex: the blind index of its own Message-ID, if any.
    ///   - customerID: its customer; without one nothing is attached.
    ///   - mailboxID: the mailbox it arrived in.
    /// - Throws: `StoreError`, `CryptoError`.
    static func inquiry(
        for message: ParsedMessage, ownIndex: [UInt8]?, customerID: Int64?, mailboxID: Int64, keys: KeyRing,
        in tx: DatabaseTransaction
    ) throws -> (id: Int64, match: Match)? {
        guard let customerID else { return nil }
        var candidates: [([UInt8], Match)] = []
        if let ownIndex { candidates.append((ownIndex, .sameMessageID)) }
        if let id = message.inReplyTo, let index = try messageIDIndex(id, keys: keys) {
            candidates.append((index, .inReplyTo))
        }
        for id in message.references.reversed() {
            if let index = try messageIDIndex(id, keys: keys) { candidates.append((index, .references)) }
        }
        for (index, match) in candidates {
            let found = try tx.rows(
                """
                SELECT i.id FROM messages m JOIN inquiries i ON i.id = m.inquiry_id
                WHERE m.message_id_index = ? AND i.customer_id = ? AND i.mailbox_id = ?
                ORDER BY m.id DESC LIMIT 1
                """, [.blob(index), .integer(customerID), .integer(mailboxID)]
            ).first?.int64("id")
            if let found { return (found, match) }
        }
        for tag in subjectTags(message.subject ?? "") {
            let found = try tx.rows(
                "SELECT id FROM inquiries WHERE id = ? AND customer_id = ? AND mailbox_id = ?",
                [.integer(tag), .integer(customerID), .integer(mailboxID)]
            ).first?.int64("id")
            if let found { return (found, .subjectTag) }
        }
        return nil
    }
}
