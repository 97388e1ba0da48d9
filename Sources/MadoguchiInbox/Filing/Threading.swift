// Threading: which inquiry a new message joins (`place`): by a token we issued and can
// verify (Threading+Tokens) or by the Message-ID of the same customer's earlier mail;
// otherwise a new inquiry that records the inquiry it claimed to continue, if any.
// SECURITY (A25 in madoguchi-security(7)): From is not authenticated and inquiry ids are
// sequential, so neither a From address nor a bare `[#123]` attaches anything.

import MadoguchiCrypto
import MadoguchiMail
import MadoguchiStore

/// Message-ID matching and inquiry lookup.
public enum Threading {
    /// How a message found its inquiry.
    public enum Match: String, Sendable, Equatable {
        /// Its own Message-ID was already filed (a re-delivery with other bytes).
        case sameMessageID
        /// `In-Reply-To` named an earlier message of the same customer.
        case inReplyTo
        /// One of `References` named an earlier message of the same customer.
        case references
        /// One of its Message-IDs was an outgoing Message-ID we issued for the inquiry.
        case outgoingMessageID
        /// The subject carried the inquiry's verified tag `[#id-code]`.
        case subjectTag
        /// A bounce returned one of our outgoing Message-IDs (Threading+Bounce).
        case bounce
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
    /// (direction `out`) get theirs from `outgoingMessageID` and store its index the same
    /// way; answers thread by its code, not by the index.
    /// - Returns: nil for an empty id.
    /// - Throws: `CryptoError`.
    public static func messageIDIndex(_ id: String, keys: KeyRing) throws -> [UInt8]? {
        guard let normal = normalizeMessageID(id) else { return nil }
        return try keys.blindIndex("message-id:" + normal)
    }

    /// Where threading puts a message.
    struct Placement {
        /// The inquiry it joins and by which rule; nil when it starts a new inquiry.
        var inquiry: (id: Int64, match: Match)?
        /// For a new inquiry: the inquiry the message claimed to continue without proof
        /// (a bare or wrong tag, a forged token, another sender's Message-ID), if any.
        var claimedInquiryID: Int64?
        /// For a bounce of one of our replies: which one, and why.
        var bounce: BounceReference?
    }

    /// Decides which inquiry a message joins (madoguchi-security(7) A25). It attaches
    /// only (a) by a token we issued and can verify, whoever sent it: one of our outgoing
    /// Message-IDs as its own Message-ID, `In-Reply-To` or in `References` (newest first),
    /// then a `[#123-K7Q2MX]` subject tag — for an inquiry of the same mailbox; or (b) by
    /// the Message-ID of an earlier incoming message of the same mailbox and the same
    /// customer: its own Message-ID (a re-delivery), `In-Reply-To`, then `References`
    /// newest first. Anything else it named becomes the claim of a new inquiry.
    /// A bounce (`isBounce`) that returns one of our verified outgoing Message-IDs
    /// (`bounceReference`) joins that inquiry after rule (a).
    /// - Parameters:
    ///   - message: the parsed message.
    ///   - isBounce: whether the message is a bounce (`MessageFlags.bounce`).
    ///   - ownIndex: the blind index of its own Message-ID, if any.
    ///   - customerID: its customer; without one, rule (b) never applies.
    ///   - mailboxID: the mailbox it arrived in.
    /// - Throws: `StoreError`, `CryptoError`.
    static func place(
        _ message: ParsedMessage, isBounce: Bool = false, ownIndex: [UInt8]?, customerID: Int64?, mailboxID: Int64,
        keys: KeyRing, in tx: DatabaseTransaction
    ) throws -> Placement {
        var claims: [Int64] = []
        var named: [(id: String, match: Match)] = []
        if let id = message.messageID { named.append((id, .sameMessageID)) }
        if let id = message.inReplyTo { named.append((id, .inReplyTo)) }
        for id in message.references.reversed() { named.append((id, .references)) }

        // (a) Tokens we issued, whoever sent them.
        var tokens: [(inquiryID: Int64, match: Match)] = []
        var others: [(id: String, match: Match)] = []
        for (id, match) in named {
            switch try outgoingReference(id, keys: keys) {
            case .verified(let inquiryID): tokens.append((inquiryID, .outgoingMessageID))
            case .forged(let inquiryID): claims.append(inquiryID)
            case nil: others.append((id, match))
            }
        }
        let tags = subjectTags(message.subject ?? "")
        var bareTags: [Int64] = []
        for tag in tags {
            if try isVerified(tag, keys: keys) {
                tokens.append((tag.inquiryID, .subjectTag))
            } else {
                bareTags.append(tag.inquiryID)
            }
        }
        for (inquiryID, match) in tokens {
            if try mailbox(of: inquiryID, in: tx) == mailboxID { return Placement(inquiry: (inquiryID, match)) }
            claims.append(inquiryID)
        }
        if isBounce {
            let (bounce, forged) = try bounceReference(in: message, keys: keys)
            if let bounce {
                if try mailbox(of: bounce.inquiryID, in: tx) == mailboxID {
                    return Placement(inquiry: (bounce.inquiryID, .bounce), bounce: bounce)
                }
                claims.append(bounce.inquiryID)
            }
            if let forged { claims.append(forged) }
        }

        // (b) An earlier incoming message of the same customer, by its Message-ID.
        for (id, match) in others {
            let index: [UInt8]?
            if match == .sameMessageID { index = ownIndex } else { index = try messageIDIndex(id, keys: keys) }
            guard let index else { continue }
            // The sender's own message first, else the newest (a claim on its inquiry).
            // INDEXED BY: without statistics SQLite would walk the mailbox's messages.
            guard
                let row = try tx.rows(
                    """
                    SELECT inquiry_id, customer_id FROM messages INDEXED BY messages_message_id_index
                    WHERE message_id_index = ? AND mailbox_id = ? AND direction = 'in'
                    ORDER BY customer_id = ? DESC, id DESC LIMIT 1
                    """, [.blob(index), .integer(mailboxID), .optional(customerID)]
                ).first, let inquiryID = row.int64("inquiry_id")
            else { continue }
            if let customerID, row.int64("customer_id") == customerID {
                return Placement(inquiry: (inquiryID, match))
            }
            claims.append(inquiryID)
        }
        return Placement(inquiry: nil, claimedInquiryID: (claims + bareTags).first)
    }

    /// The mailbox of an inquiry, or nil.
    private static func mailbox(of inquiryID: Int64, in tx: DatabaseTransaction) throws -> Int64? {
        try tx.rows("SELECT mailbox_id FROM inquiries WHERE id = ?", [.integer(inquiryID)]).first?.int64("mailbox_id")
    }
}
