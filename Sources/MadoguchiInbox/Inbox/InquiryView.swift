// InquiryView: the audited reads of the inquiry page — the thread, one attachment's
// bytes, one message's HTML part. Each reads in a read transaction, then writes its
// audit entry (with the view's own change, if any, in the same transaction) through
// the group commit, and returns only after that commit: if the entry cannot be
// written, nothing is shown (madoguchi-security(7), WEB PAGE). Reading inside the
// write transaction held the writers' gate for the whole read and decryption.
// SECURITY: an id that does not exist and one the caller may not see get the same
// `InquiryError.notFound` (F2).

import Foundation
import MadoguchiMail
import MadoguchiStore

/// Audited reads for the inquiry page.
public enum InquiryView {
    /// The most other inquiries of the same customer shown beside one.
    public static let relatedLimit = 20

    /// One inquiry with its thread, its timeline and the reply lock's holder, audited as
    /// `inquiry-view`.
    /// - Parameters:
    ///   - id: `inquiries.id`.
    ///   - revealCustomers: decrypt names and addresses.
    ///   - viewer: the operator (`users.id`) whose view to record (the inbox's unread
    ///     marks), or nil. A view is recorded when the inquiry has a message newer than
    ///     the viewer's last recorded view; a view of an inquiry already read changes
    ///     nothing (and so does not move the list stamp).
    ///   - actor: who reads (audited).
    ///   - database: the instance database.
    ///   - cache: where the thread (all of it but the reply lock, which is read on
    ///     every view) is looked up first and stored after, under the viewer and the
    ///     address permission (the web page's); nil to always read. The view is
    ///     audited either way.
    ///   - now: the audit time.
    /// - Throws: `InquiryError.notFound`, `StoreError`, `CryptoError`.
    public static func thread(
        _ id: Int64, revealCustomers: Bool, viewer: Int64? = nil, actor: AccessActor, in database: Database,
        cache: ListCache? = nil, now: Date = Date()
    ) throws -> InquiryThread {
        try thread(
            id, revealCustomers: revealCustomers, viewer: viewer, actor: actor, in: database, cache: cache, now: now,
            alongside: { _ in }
        ).thread
    }

    /// `thread`, and what `alongside` reads in the same snapshot (the rest of a page:
    /// its replies, the operators to assign to).
    /// - Throws: `InquiryError.notFound`, `StoreError`, `CryptoError`, what `alongside`
    ///   throws.
    public static func thread<Extra>(
        _ id: Int64, revealCustomers: Bool, viewer: Int64? = nil, actor: AccessActor, in database: Database,
        cache: ListCache? = nil, now: Date = Date(), alongside: (DatabaseTransaction) throws -> Extra
    ) throws -> (thread: InquiryThread, extra: Extra) {
        let time = Int64(now.timeIntervalSince1970)
        let (thread, viewedAt, extra) = try database.read { tx -> (InquiryThread, Int64?, Extra) in
            let read = { try Self.unlocked(id, revealCustomers: revealCustomers, in: tx) }
            var thread =
                try cache.map { cache in
                    try cache.page(
                        ListCache.Key(inquiry: id, revealCustomers: revealCustomers, viewer: viewer), now: time,
                        in: tx, bytes: \.textBytes, read: read)
                } ?? read()
            thread.lock = try ReplyLock.holder(of: id, in: tx)
            let viewedAt = try viewer.flatMap { viewer in
                try tx.rows(
                    "SELECT viewed_at FROM inquiry_views WHERE user_id = ? AND inquiry_id = ?",
                    [.integer(viewer), .integer(id)]
                ).first?.int64("viewed_at")
            }
            return (thread, viewedAt, try alongside(tx))
        }
        let recordsView = viewer != nil && (viewedAt ?? .min) < thread.inquiry.lastMessageAt
        try database.writeGrouped { tx in
            try AuditLog.append(actor.event(.inquiryView, target: "inquiry:\(id)"), in: tx, now: now)
            if let viewer, recordsView {
                try tx.run(
                    """
                    INSERT INTO inquiry_views (user_id, inquiry_id, viewed_at) VALUES (?, ?, ?)
                    ON CONFLICT (user_id, inquiry_id) DO UPDATE SET viewed_at = excluded.viewed_at
                    """, [.integer(viewer), .integer(id), .integer(time)])
            }
        }
        return (thread, extra)
    }

    /// The thread without its lock, read in `tx`.
    private static func unlocked(_ id: Int64, revealCustomers: Bool, in tx: DatabaseTransaction) throws
        -> InquiryThread
    {
        guard
            let inquiry = try Inbox.load(
                where: ["i.id = ?"], [.integer(id)], limit: 1, revealCustomers: revealCustomers, in: tx
            ).first
        else { throw InquiryError.notFound("inquiry \(id)") }
        let claimed = try tx.rows("SELECT claimed_inquiry_id FROM inquiries WHERE id = ?", [.integer(id)])
            .first?.int64("claimed_inquiry_id")
        let messages = try Self.messages(of: id, revealCustomers: revealCustomers, in: tx)
        var related: [InboxEntry] = []
        if let customer = inquiry.customerID {
            related = try Inbox.load(
                where: ["i.customer_id = ?", "i.id <> ?"], [.integer(customer), .integer(id)],
                limit: relatedLimit, revealCustomers: revealCustomers, in: tx)
        }
        return InquiryThread(
            inquiry: inquiry, claimedInquiryID: claimed, messages: messages, related: related,
            events: try InquiryEvents.list(inquiry: id, in: tx), lock: nil)
    }

    /// The thread's messages, oldest first, with their attachments' metadata.
    static func messages(of inquiry: Int64, revealCustomers: Bool, in tx: DatabaseTransaction) throws
        -> [InquiryThread.Message]
    {
        var attachments: [Int64: [InquiryThread.Attachment]] = [:]
        for row in try tx.rows(
            """
            SELECT a.id, a.message_id, a.filename_enc, a.content_type, a.size FROM attachments a
            JOIN messages m ON m.id = a.message_id WHERE m.inquiry_id = ? ORDER BY a.message_id, a.ordinal
            """, [.integer(inquiry)])
        {
            let id = row.int64("id") ?? 0
            attachments[row.int64("message_id") ?? 0, default: []].append(
                InquiryThread.Attachment(
                    id: id,
                    filename: try tx.openString(
                        row["filename_enc"], table: "attachments", column: "filename_enc", row: id),
                    contentType: row.string("content_type") ?? "application/octet-stream",
                    size: Int(row.int64("size") ?? 0)))
        }
        let columns = revealCustomers ? ", from_addr_enc, to_enc, cc_enc, reply_to_enc" : ""
        return try tx.rows(
            """
            SELECT id, direction, received_at, subject_enc, from_name_enc, text_body_enc,
                   html_body_enc IS NOT NULL AS has_html, flags, malformed_reason\(columns)
            FROM messages WHERE inquiry_id = ? ORDER BY received_at, id
            """, [.integer(inquiry)]
        ).map { row in
            let id = row.int64("id") ?? 0
            func text(_ column: String) throws -> String? {
                try tx.openString(row[column], table: "messages", column: column, row: id)
            }
            func addresses(_ column: String) throws -> [MailAddress] {
                guard revealCustomers, let json = try text(column) else { return [] }
                return Self.addresses(json)
            }
            return InquiryThread.Message(
                id: id, direction: row.string("direction") ?? "in", receivedAt: row.int64("received_at") ?? 0,
                subject: try text("subject_enc"), fromName: try text("from_name_enc"),
                fromAddress: revealCustomers ? try text("from_addr_enc") : nil, to: try addresses("to_enc"),
                cc: try addresses("cc_enc"), replyTo: try addresses("reply_to_enc"), text: try text("text_body_enc"),
                hasHTML: row.int64("has_html") == 1, flags: MessageFlags(rawValue: row.int64("flags") ?? 0),
                malformedReason: row.string("malformed_reason"), attachments: attachments[id] ?? [])
        }
    }

    /// The addresses of a stored JSON array of `{"address": …, "name": …}` objects.
    static func addresses(_ json: String) -> [MailAddress] {
        // Most Cc and Reply-To lists are empty: no parser for those.
        guard json.utf8.count > 2,
            let list = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]]
        else {
            return []
        }
        return list.compactMap { entry in entry["address"].map { MailAddress(name: entry["name"], address: $0) } }
    }

    /// One attachment's bytes for a download, audited as `attachment-download`.
    /// - Parameters:
    ///   - id: `attachments.id`.
    ///   - actor: who downloads (audited).
    ///   - database: the instance database.
    ///   - now: the audit time.
    /// - Returns: the file name as the sender gave it (sanitize before use) and the bytes.
    /// - Throws: `InquiryError.notFound`, `StoreError`, `CryptoError`.
    public static func attachment(_ id: Int64, actor: AccessActor, in database: Database, now: Date = Date()) throws
        -> (filename: String?, data: [UInt8])
    {
        let (name, data) = try database.read { tx -> (String?, [UInt8]) in
            guard
                let row = try tx.rows("SELECT filename_enc, data_enc FROM attachments WHERE id = ?", [.integer(id)])
                    .first
            else { throw InquiryError.notFound("attachment \(id)") }
            let data = try tx.open(row["data_enc"], table: "attachments", column: "data_enc", row: id) ?? []
            let name = try tx.openString(row["filename_enc"], table: "attachments", column: "filename_enc", row: id)
            return (name, data)
        }
        let bytes = data.count
        try database.writeGrouped { tx in
            try AuditLog.append(
                actor.event(
                    .attachmentDownload, target: "attachment:\(id)", detail: AuditDetail.counts(["bytes": bytes])),
                in: tx, now: now)
        }
        return (name, data)
    }

    /// An image part of a message that its HTML part names by `cid:`.
    public struct InlineImage: Sendable, Equatable {
        /// `image/png`, `image/gif`, `image/jpeg` or `image/webp`.
        public var contentType: String
        /// The bytes.
        public var data: [UInt8]
    }

    /// The image types an HTML part may show from its own message.
    public static let inlineImageTypes: Set<String> = ["image/png", "image/gif", "image/jpeg", "image/webp"]
    /// The largest inline image shown, and the most bytes of them per message.
    public static let inlineImageLimit = (each: 1 << 20, total: 4 << 20)

    /// One message's HTML part, made safe by `render` (the sanitizer, which also counts
    /// the remote references it blocked), audited as `html-view`. `render` also gets
    /// the message's images by Content-ID, for its `cid:` references (of the types in
    /// `inlineImageTypes`, within `inlineImageLimit`).
    /// - Parameters:
    ///   - messageID: `messages.id`.
    ///   - actor: who opens it (audited).
    ///   - database: the instance database.
    ///   - now: the audit time.
    ///   - render: turns the stored HTML into what is sent, and the count of blocked
    ///     remote references for the audit detail.
    /// - Throws: `InquiryError.notFound`, `StoreError`, `CryptoError`, what `render` throws.
    public static func html<Rendered>(
        messageID: Int64, actor: AccessActor, in database: Database, now: Date = Date(),
        render: (String, _ inline: [String: InlineImage]) throws -> (Rendered, blocked: Int)
    ) throws -> Rendered {
        let (html, inline) = try database.read { tx -> (String, [String: InlineImage]) in
            guard let html = try htmlBody(messageID, in: tx) else {
                throw InquiryError.notFound("message \(messageID)")
            }
            var inline: [String: InlineImage] = [:]
            var total = 0
            for part in try tx.rows(
                """
                SELECT id, content_type, size, content_id_enc, data_enc FROM attachments
                WHERE message_id = ? AND content_id_enc IS NOT NULL ORDER BY ordinal
                """, [.integer(messageID)])
            {
                let id = part.int64("id") ?? 0
                let size = Int(part.int64("size") ?? 0)
                guard let type = part.string("content_type"), inlineImageTypes.contains(type),
                    size <= inlineImageLimit.each, total + size <= inlineImageLimit.total,
                    let cid = try tx.openString(
                        part["content_id_enc"], table: "attachments", column: "content_id_enc", row: id),
                    inline[cid] == nil,
                    let data = try tx.open(part["data_enc"], table: "attachments", column: "data_enc", row: id)
                else { continue }
                total += size
                inline[cid] = InlineImage(contentType: type, data: data)
            }
            return (html, inline)
        }
        let (rendered, blocked) = try render(html, inline)
        try database.writeGrouped { tx in
            try AuditLog.append(
                actor.event(
                    .htmlView, target: "message:\(messageID)", detail: AuditDetail.counts(["remote_blocked": blocked])),
                in: tx, now: now)
        }
        return rendered
    }

    /// One message's HTML part, decrypted, or nil when it has none, NOT audited: for
    /// what the inquiry page says about the part whose frame it shows (the count of
    /// remote references); the frame's own request reads it through `html`, audited.
    /// - Throws: `StoreError`, `CryptoError`.
    public static func htmlBody(messageID: Int64, in database: Database) throws -> String? {
        try database.read { try htmlBody(messageID, in: $0) }
    }

    /// The decrypted HTML part of a message, or nil.
    static func htmlBody(_ messageID: Int64, in tx: DatabaseTransaction) throws -> String? {
        guard let row = try tx.rows("SELECT html_body_enc FROM messages WHERE id = ?", [.integer(messageID)]).first
        else { return nil }
        return try tx.openString(row["html_body_enc"], table: "messages", column: "html_body_enc", row: messageID)
    }
}
