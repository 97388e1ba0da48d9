// Filer: files clean spooled messages in one BEGIN IMMEDIATE transaction: mailbox,
// duplicate check by intake id, customer, threading, sender limit, inquiry, sealed message
// and attachments, search index; `CrashPoint "during-commit"` fires just before COMMIT.
// SECURITY: every content field is sealed (RowValues.seal); logs carry ids only.
// To/Cc/Reply-To are stored as a JSON array of {"name","address"} objects.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiStore

/// Files clean mail and quarantines infected mail. Use from one thread.
public final class Filer {
    /// The database written to.
    public let database: Database
    /// The instance keys (blind indexes, search tokens).
    public let keys: KeyRing
    /// Logger (ids only).
    public let log: Log
    /// The parser, with the configured limits.
    public let parser: MessageParser
    /// Days an infected message is kept (`quarantine_days`).
    public let quarantineDays: Int64
    /// Stage timings (off unless enabled).
    public let timings: FilingTimings
    /// The company's own domains (`internal_domains`): a From in them is flagged.
    public let internalDomains: InternalDomains
    /// Messages one sender (customer, by blind index) may send in the sliding hour
    /// before its message that would start a new inquiry goes into its overflow inquiry
    /// instead (`intake_sender_limit`; 0: no limit).
    public let senderLimit: Int64
    let searchIndex: SearchIndex

    /// The window of `senderLimit`, in seconds of fetch time.
    public static let senderLimitWindow: Int64 = 3600

    /// Creates a filer.
    /// - Parameters:
    ///   - database: the open instance database.
    ///   - keys: its key ring.
    ///   - log: the program's logger.
    ///   - limits: parser limits (`MailLimits(configuration)`).
    ///   - quarantineDays: retention of quarantined mail.
    ///   - internalDomains: `internal_domains`.
    ///   - senderLimit: `intake_sender_limit`.
    ///   - timings: stage counters to add to.
    public init(
        database: Database, keys: KeyRing, log: Log, limits: MailLimits = .standard, quarantineDays: Int64 = 30,
        internalDomains: InternalDomains = InternalDomains([]), senderLimit: Int64 = 30,
        timings: FilingTimings = FilingTimings(enabled: false)
    ) {
        self.database = database
        self.keys = keys
        self.log = log
        self.parser = MessageParser(limits: limits)
        self.quarantineDays = quarantineDays
        self.internalDomains = internalDomains
        self.senderLimit = senderLimit
        self.timings = timings
        self.searchIndex = SearchIndex(keys: keys)
    }

    /// Files one message that clamd called clean. Idempotent by `envelope.intakeID`.
    /// - Parameters:
    ///   - envelope: the spool envelope (`received_at` = `fetchedAt`).
    ///   - raw: the message bytes.
    ///   - now: the time written as `updated_at`/`created_at`.
    /// - Returns: `.filed`, `.malformed` (filed with its reason) or `.duplicate`.
    /// - Throws: `StoreError` (busy is transient), `CryptoError`.
    public func file(envelope: SpoolEnvelope, raw: [UInt8], now: Date = Date()) throws -> FilingResult {
        try file([(envelope, raw)], now: now)[0]
    }

    /// Files several clean messages, in order, in ONE transaction (one commit and one
    /// fsync for all; a later message may thread onto an earlier one). All or nothing:
    /// if any message fails, none is filed.
    /// - Parameters:
    ///   - batch: envelopes with their raw messages.
    ///   - now: the time written as `updated_at`/`created_at`.
    /// - Returns: one result per message, in order.
    /// - Throws: `StoreError` (busy is transient), `CryptoError`.
    public func file(_ batch: [(envelope: SpoolEnvelope, raw: [UInt8])], now: Date = Date()) throws
        -> [FilingResult]
    {
        let parsed = timings.measure("parse") { batch.map { ($0.envelope, parser.parse($0.raw), nil as IndexTokens?) } }
        return try file(parsed: parsed, now: now)
    }

    /// Files messages already parsed with `parser` (e.g. on the scanning threads), in
    /// order, in one transaction; see `file(_:now:)`. `tokens` may carry the search
    /// tokens made beforehand (`SearchIndex.tokens`); they are used only if made for the
    /// mailbox the message is filed in, else (or if nil) they are made here.
    /// - Throws: `StoreError` (busy is transient), `CryptoError`.
    public func file(
        parsed batch: [(envelope: SpoolEnvelope, message: ParsedMessage, tokens: IndexTokens?)], now: Date = Date()
    ) throws -> [FilingResult] {
        let seconds = Int64(now.timeIntervalSince1970)
        var bodySeconds = 0.0
        let start = Monotonic.now()
        let results = try database.write { tx -> [FilingResult] in
            let bodyStart = Monotonic.now()
            defer { bodySeconds = Monotonic.now() - bodyStart }
            var results: [FilingResult] = []
            for (envelope, message, tokens) in batch {
                let result = try file(message, envelope: envelope, tokens: tokens, in: tx, now: seconds)
                if result != .duplicate { try completeRelease(of: envelope, raw: message.raw, in: tx, now: seconds) }
                results.append(result)
            }
            CrashPoint.reach("during-commit")
            return results
        }
        timings.add("commit", Monotonic.now() - start - bodySeconds)
        return results
    }

    /// Files one message inside the caller's write transaction, so that other changes
    /// (e.g. removing its quarantine row) commit or roll back together with it; nothing is
    /// committed here. Idempotent by `envelope.intakeID`.
    /// - Parameters:
    ///   - envelope: the spool envelope (`received_at` = `fetchedAt`).
    ///   - raw: the message bytes.
    ///   - now: the time written as `updated_at`/`created_at`.
    ///   - tx: the caller's write transaction.
    /// - Returns: `.filed`, `.malformed` (filed with its reason) or `.duplicate`.
    /// - Throws: `StoreError`, `CryptoError`.
    public func file(envelope: SpoolEnvelope, raw: [UInt8], now: Date = Date(), in tx: DatabaseTransaction) throws
        -> FilingResult
    {
        let message = timings.measure("parse") { parser.parse(raw) }
        return try file(message, envelope: envelope, in: tx, now: Int64(now.timeIntervalSince1970))
    }

    /// Files one parsed message inside the caller's transaction, indexed with `tokens`
    /// when they were made for its mailbox.
    private func file(
        _ message: ParsedMessage, envelope: SpoolEnvelope, tokens: IndexTokens? = nil, in tx: DatabaseTransaction,
        now: Int64
    ) throws -> FilingResult {
        // The database's own id, from the bytes: the envelope's is only the spool file's name.
        let envelope = try envelope.trusted(message.raw, keys: keys)
        guard try !Filer.isFiled(envelope.intakeID, in: tx) else { return .duplicate }
        let result = try timings.measure("store") { try store(message, envelope: envelope, in: tx, now: now) }
        try timings.measure("index") {
            // Tokens of another mailbox (renamed or recreated meanwhile) would be unfindable.
            let made =
                try tokens.flatMap { $0.mailboxID == result.mailboxID ? $0 : nil }
                ?? searchIndex.tokens(
                    subject: message.subject,
                    body: SearchIndex.searchableBody(text: message.textBody, html: message.htmlBody),
                    mailboxID: result.mailboxID)
            try searchIndex.add(made, messageID: result.messageID, in: tx)
        }
        if case .malformed(let reason) = message.verdict {
            return .malformed(inquiryID: result.inquiryID, messageID: result.messageID, reason: reason)
        }
        return .filed(inquiryID: result.inquiryID, messageID: result.messageID)
    }

    /// Whether a message with this intake id is filed.
    static func isFiled(_ intakeID: String, in tx: DatabaseTransaction) throws -> Bool {
        try !tx.rows("SELECT 1 FROM messages WHERE intake_id = ?", [.text(intakeID)]).isEmpty
    }

    /// The id of the mailbox called `name`; mail for a mailbox nobody added is refused.
    /// - Throws: `FilingError.unknownMailbox`, `StoreError`.
    static func mailboxID(_ name: String, in tx: DatabaseTransaction, now: Int64) throws -> Int64 {
        guard let id = try Mailboxes.id(named: name, in: tx) else { throw FilingError.unknownMailbox(name) }
        return id
    }

    private struct Stored {
        let mailboxID: Int64
        let inquiryID: Int64
        let messageID: Int64
    }

    /// Writes customer, inquiry, message and attachments.
    private func store(_ message: ParsedMessage, envelope: SpoolEnvelope, in tx: DatabaseTransaction, now: Int64)
        throws -> Stored
    {
        let mailboxID = try Filer.mailboxID(envelope.mailbox, in: tx, now: now)
        let sender = message.from.first
        let customerID = try sender.flatMap {
            try CustomerDirectory.customer(address: $0.address, name: $0.name, keys: keys, in: tx, now: now)
        }
        let ownIndex = try message.messageID.flatMap { try Threading.messageIDIndex($0, keys: keys) }
        var flags = MessageFlags.detect(in: message, internalDomains: internalDomains)
        let received = envelope.fetchedAt
        let placement = try Threading.place(
            message, isBounce: flags.contains(.bounce), ownIndex: ownIndex, customerID: customerID,
            mailboxID: mailboxID, keys: keys, in: tx)
        if placement.inquiry == nil, placement.claimedInquiryID != nil { flags.insert(.threadClaim) }
        let inquiryID: Int64
        if let (found, match) = placement.inquiry {
            inquiryID = found
            if match == .sameMessageID { flags.insert(.duplicateMessageID) }
            try Filer.touch(found, received: received, in: tx, now: now)
            log.debug("intake \(envelope.intakeID): threaded by \(match.rawValue) into inquiry \(found)")
        } else if try isOverSenderLimit(customerID, received: received, in: tx) {
            flags.insert(.overSenderLimit)
            if let overflow = try Filer.overflowInquiry(
                customerID, mailboxID: mailboxID, since: received - Filer.senderLimitWindow, in: tx)
            {
                inquiryID = overflow
                try Filer.touch(overflow, received: received, in: tx, now: now)
            } else {
                inquiryID = try Filer.newInquiry(
                    message, mailboxID: mailboxID, customerID: customerID, flags: .senderOverflow, claim: nil,
                    received: received, in: tx, now: now)
            }
            log.debug("intake \(envelope.intakeID): sender over its limit, into inquiry \(inquiryID)")
        } else {
            inquiryID = try Filer.newInquiry(
                message, mailboxID: mailboxID, customerID: customerID, flags: [],
                claim: placement.claimedInquiryID, received: received, in: tx, now: now)
        }

        var row = RowValues()
        row.set("inquiry_id", .integer(inquiryID))
        row.set("mailbox_id", .integer(mailboxID))
        row.set("customer_id", .optional(customerID))
        row.set("intake_id", .text(envelope.intakeID))
        row.set("direction", "in")
        row.set("received_at", .integer(received))
        row.set("size", .int(message.raw.count))
        row.set("message_id_index", ownIndex.map { .blob($0) } ?? .null)
        row.seal("subject_enc", message.subject)
        row.seal("from_name_enc", sender?.name)
        row.seal("from_addr_enc", sender?.address)
        row.seal("to_enc", Filer.addressJSON(message.to))
        row.seal("cc_enc", Filer.addressJSON(message.cc))
        row.seal("reply_to_enc", Filer.addressJSON(message.replyTo))
        row.seal("headers_enc", Filer.headerBlock(message.raw))
        row.seal("text_body_enc", message.textBody)
        row.seal("html_body_enc", message.htmlBody)
        row.seal("raw_enc", message.raw)
        row.set("flags", .integer(flags.rawValue))
        if case .malformed(let reason) = message.verdict {
            row.set("malformed_reason", .text(reason))
        }
        let messageID = try tx.insert(into: "messages", row)

        try Filer.storeAttachments(message.attachments, of: messageID, in: tx)
        if let bounce = placement.bounce {
            // The reply it returns failed to arrive: the inquiry shows why (Outbox.bounced).
            try Outbox(keys: keys).bounced(
                messageID: bounce.messageID, reason: bounce.reason, actor: Filer.auditActor, now: now, in: tx)
        }
        return Stored(mailboxID: mailboxID, inquiryID: inquiryID, messageID: messageID)
    }

    /// Writes the attachments of message `messageID`, in order, sealed.
    static func storeAttachments(_ attachments: [MailAttachment], of messageID: Int64, in tx: DatabaseTransaction)
        throws
    {
        for (ordinal, attachment) in attachments.enumerated() {
            var values = RowValues()
            values.set("message_id", .integer(messageID))
            values.set("ordinal", .int(ordinal))
            values.seal("filename_enc", attachment.filename)
            values.seal("content_id_enc", attachment.contentID)
            values.set("content_type", .text(attachment.contentType))
            values.set("size", .int(attachment.data.count))
            values.seal("sha256_enc", SHA256Hasher.hash(attachment.data))
            values.seal("data_enc", attachment.data)
            try tx.insert(into: "attachments", values)
        }
    }

    /// Whether the sender already sent `senderLimit` messages in the hour before
    /// `received` (sliding, by fetch time; mail without a sender address counts as one
    /// sender). At most `senderLimit` index entries are read.
    private func isOverSenderLimit(_ customerID: Int64?, received: Int64, in tx: DatabaseTransaction) throws -> Bool {
        guard senderLimit > 0 else { return false }
        let count = try tx.rows(
            """
            SELECT count(*) AS n FROM (SELECT 1 FROM messages
                WHERE customer_id IS ? AND direction = 'in' AND received_at > ? LIMIT ?)
            """, [.optional(customerID), .integer(received - Filer.senderLimitWindow), .integer(senderLimit)]
        ).first?.int64("n")
        return (count ?? 0) >= senderLimit
    }

    /// The sender's overflow inquiry in this mailbox that received mail since `since`
    /// (one per flood; a later flood gets a new one), if any.
    static func overflowInquiry(_ customerID: Int64?, mailboxID: Int64, since: Int64, in tx: DatabaseTransaction)
        throws -> Int64?
    {
        try tx.rows(
            """
            SELECT id FROM inquiries WHERE customer_id IS ? AND mailbox_id = ? AND flags & ? <> 0
                AND last_message_at > ? ORDER BY id DESC LIMIT 1
            """,
            [
                .optional(customerID), .integer(mailboxID), .integer(InquiryFlags.senderOverflow.rawValue),
                .integer(since),
            ]
        ).first?.int64("id")
    }

    /// A new inquiry for `message`, with its flags and the inquiry it claimed to continue.
    static func newInquiry(
        _ message: ParsedMessage, mailboxID: Int64, customerID: Int64?, flags: InquiryFlags, claim: Int64?,
        received: Int64, in tx: DatabaseTransaction, now: Int64
    ) throws -> Int64 {
        var inquiry = RowValues()
        inquiry.set("mailbox_id", .integer(mailboxID))
        inquiry.set("customer_id", .optional(customerID))
        inquiry.set("status", "new")
        inquiry.seal("subject_enc", message.subject ?? "")
        inquiry.set("created_at", .integer(now))
        inquiry.set("updated_at", .integer(now))
        inquiry.set("last_message_at", .integer(received))
        inquiry.set("flags", .integer(flags.rawValue))
        inquiry.set("claimed_inquiry_id", .optional(claim))
        return try tx.insert(into: "inquiries", inquiry)
    }

    /// Records a new customer message in an existing inquiry: a done inquiry is new
    /// again (one in progress, awaiting approval or in the trash keeps its status), and
    /// `last_message_at` moves forward.
    static func touch(_ inquiryID: Int64, received: Int64, in tx: DatabaseTransaction, now: Int64) throws {
        try tx.run(
            """
            UPDATE inquiries SET status = CASE WHEN status = 'done' THEN 'new'
                ELSE status END,
                last_message_at = max(last_message_at, ?), updated_at = ? WHERE id = ?
            """, [.integer(received), .integer(now), .integer(inquiryID)])
    }

    /// A JSON array of `{"address": …, "name": …}` objects (keys sorted, `name` only when
    /// present; nil for no addresses). JSONOutput, not JSONSerialization: that cost a
    /// quarter of the filing thread's time.
    static func addressJSON(_ addresses: [MailAddress]) -> [UInt8]? {
        guard !addresses.isEmpty else { return nil }
        var json = JSONOutput()
        json.raw("[")
        for (index, address) in addresses.enumerated() {
            json.raw(index > 0 ? ",{\"address\":" : "{\"address\":")
            json.string(address.address)
            if let name = address.name {
                json.raw(",\"name\":")
                json.string(name)
            }
            json.raw("}")
        }
        json.raw("]")
        return json.bytes
    }

    /// The raw top-level header block (up to the first empty line).
    static func headerBlock(_ raw: [UInt8]) -> [UInt8] {
        var index = 0
        var lineStart = true
        while index < raw.count {
            let byte = raw[index]
            if lineStart {
                if byte == 0x0A { return Array(raw[..<index]) }
                if byte == 0x0D, index + 1 < raw.count, raw[index + 1] == 0x0A { return Array(raw[..<index]) }
            }
            lineStart = byte == 0x0A
            index += 1
        }
        return raw
    }
}
