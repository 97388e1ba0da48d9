// ReplyAttachments: files an operator attaches to a draft. `add` itself calls the
// virus scanner on the bytes and stores the file only on an explicit clean verdict:
// FOUND, or a scanner that cannot answer, refuses the file (madoguchi-security(7) C5),
// so no caller can store an unscanned file. Limits: `reply_attachment_max` per file,
// `reply_attachment_total_max` per reply, `maximumCount` files. The name is made safe
// (`AttachmentName.sanitized`), the content type checked against the RFC 2045
// grammar (else `application/octet-stream`); name and bytes are sealed.
// The scan runs between two transactions, so a slow clamd never holds the write lock.

import MadoguchiMail
import MadoguchiStore

/// The attachments of replies.
public enum ReplyAttachments {
    /// One attachment's metadata.
    public struct Info: Sendable, Equatable {
        /// `reply_attachments.id`.
        public var id: Int64
        /// The safe file name.
        public var filename: String
        /// The content type sent.
        public var contentType: String
        /// Size in bytes.
        public var size: Int
    }

    /// The most files one reply carries.
    public static let maximumCount = 20

    /// Scans and attaches a file to a draft. The draft is checked before the scan
    /// (author, state, limits) and again in the write transaction after it.
    /// - Parameters:
    ///   - draft: `replies.id`.
    ///   - filename: the name the browser sent (made safe here).
    ///   - contentType: the type the browser sent (checked here).
    ///   - data: the bytes.
    ///   - replies: the replies view (its limits).
    ///   - actor: the author.
    ///   - scanner: scans the bytes (`ClamdClient.scan`); only `.clean` stores the file.
    ///   - database: the instance database (two short write transactions).
    ///   - now: Unix time.
    /// - Returns: the stored attachment.
    /// - Throws: `ReplyError` (`forbidden`, `notAuthor`, `wrongState`, `attachmentTooLarge`,
    ///   `attachmentsTooLarge`, `tooManyAttachments`, `attachmentInfected`,
    ///   `scannerUnavailable`), `InquiryError.notFound`, `StoreError`, `CryptoError`.
    @discardableResult
    public static func add(
        to draft: Int64, filename: String?, contentType: String?, data: [UInt8], replies: Replies,
        actor: AnsweringActor,
        scanner: ([UInt8]) throws -> ScanVerdict, in database: Database, now: Int64
    ) throws -> Info {
        try database.write { tx in try check(draft, adding: data.count, replies: replies, actor: actor, in: tx) }
        let verdict: ScanVerdict
        do {
            verdict = try scanner(data)
        } catch let error as ScanError {
            throw ReplyError.scannerUnavailable(error)
        }
        guard verdict == .clean else {
            if case .infected(let signature) = verdict { throw ReplyError.attachmentInfected(signature: signature) }
            throw ReplyError.attachmentInfected(signature: "unknown")
        }
        return try database.write { tx in
            try check(draft, adding: data.count, replies: replies, actor: actor, in: tx)
            let ordinal =
                try tx.rows("SELECT max(ordinal) AS n FROM reply_attachments WHERE reply_id = ?", [.integer(draft)])
                .first?.int64("n").map { $0 + 1 } ?? 0
            let name = AttachmentName.sanitized(filename)
            let type = safeContentType(contentType)
            var values = RowValues()
            values.set("reply_id", .integer(draft))
            values.set("ordinal", .integer(ordinal))
            values.seal("filename_enc", name)
            values.set("content_type", .text(type))
            values.set("size", .int(data.count))
            values.seal("data_enc", data)
            values.set("scanned_at", .integer(now))
            let id = try tx.insert(into: "reply_attachments", values)
            try tx.run("UPDATE replies SET updated_at = ? WHERE id = ?", [.integer(now), .integer(draft)])
            return Info(id: id, filename: name, contentType: type, size: data.count)
        }
    }

    /// Removes an attachment from a draft.
    /// - Throws: `ReplyError` (`forbidden`, `notAuthor`, `wrongState`), `InquiryError.notFound`, `StoreError`.
    public static func remove(
        _ id: Int64, from draft: Int64, replies: Replies, actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction
    ) throws {
        _ = try replies.editable(draft, actor: actor, in: tx)
        guard
            try tx.run("DELETE FROM reply_attachments WHERE id = ? AND reply_id = ?", [.integer(id), .integer(draft)])
                == 1
        else { throw InquiryError.notFound("attachment \(id)") }
        try tx.run("UPDATE replies SET updated_at = ? WHERE id = ?", [.integer(now), .integer(draft)])
    }

    /// A reply's attachments in order (metadata; the names decrypted).
    /// - Throws: `StoreError`, `CryptoError`.
    public static func list(of reply: Int64, in tx: DatabaseTransaction) throws -> [Info] {
        try tx.rows(
            "SELECT id, filename_enc, content_type, size FROM reply_attachments WHERE reply_id = ? ORDER BY ordinal",
            [.integer(reply)]
        ).map { row in
            let id = row.int64("id") ?? 0
            return Info(
                id: id,
                filename: try tx.openString(
                    row["filename_enc"], table: "reply_attachments", column: "filename_enc", row: id)
                    ?? AttachmentName.fallback,
                contentType: row.string("content_type") ?? "application/octet-stream", size: Int(row.int64("size") ?? 0)
            )
        }
    }

    /// A reply's attachments with their bytes, for sending and for the sent message.
    static func files(of reply: Int64, in tx: DatabaseTransaction) throws -> [MailAttachment] {
        try tx.rows(
            "SELECT id, filename_enc, content_type, data_enc FROM reply_attachments WHERE reply_id = ? ORDER BY ordinal",
            [.integer(reply)]
        ).map { row in
            let id = row.int64("id") ?? 0
            func open(_ column: String) throws -> [UInt8]? {
                try tx.open(row[column], table: "reply_attachments", column: column, row: id)
            }
            return MailAttachment(
                filename: try open("filename_enc").map { String(decoding: $0, as: UTF8.self) },
                contentType: row.string("content_type") ?? "application/octet-stream", data: try open("data_enc") ?? [])
        }
    }

    /// `type/subtype` lower-cased when both are RFC 2045 tokens (parameters dropped),
    /// else `application/octet-stream`.
    public static func safeContentType(_ value: String?) -> String {
        let fallback = "application/octet-stream"
        guard let value else { return fallback }
        let type = value.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingWhitespace() } ?? ""
        let parts = type.split(separator: "/", omittingEmptySubsequences: false)
        let special = Set("()<>@,;:\\\"/[]?=".utf8)
        guard parts.count == 2, type.utf8.count <= 127,
            parts.allSatisfy({ part in
                !part.isEmpty && part.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !special.contains($0) }
            })
        else { return fallback }
        return type.lowercased()
    }

    /// Throws unless `draft` is the actor's draft and one more file of `size` bytes fits.
    private static func check(
        _ draft: Int64, adding size: Int, replies: Replies, actor: AnsweringActor, in tx: DatabaseTransaction
    ) throws {
        _ = try replies.editable(draft, actor: actor, in: tx)
        let limits = replies.configuration
        guard Int64(size) <= limits.attachmentMax else {
            throw ReplyError.attachmentTooLarge(limit: limits.attachmentMax)
        }
        let row = try tx.rows(
            "SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM reply_attachments WHERE reply_id = ?",
            [.integer(draft)]
        ).first
        guard (row?.int64("n") ?? 0) < Int64(maximumCount) else { throw ReplyError.tooManyAttachments }
        guard (row?.int64("bytes") ?? 0) + Int64(size) <= limits.attachmentTotalMax else {
            throw ReplyError.attachmentsTooLarge(limit: limits.attachmentTotalMax)
        }
    }
}
