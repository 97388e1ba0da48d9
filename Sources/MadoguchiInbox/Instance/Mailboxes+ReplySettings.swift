// Mailboxes+ReplySettings: reading and changing a mailbox's reply settings (approval,
// charset, From, signature) in the caller's transaction; the caller (`madoguchi mailbox
// set`) appends the `mailbox-set` entry there with the detail this returns.

import MadoguchiStore

extension Mailboxes {
    /// The reply settings of a mailbox, the signature decrypted.
    /// - Parameters:
    ///   - mailbox: `mailboxes.id`.
    ///   - tx: a read or write transaction.
    /// - Throws: `InquiryError.notFound`, `StoreError`, `CryptoError`.
    public static func replySettings(mailbox: Int64, in tx: DatabaseTransaction) throws -> MailboxReplySettings {
        guard
            let row = try tx.rows(
                """
                SELECT approval_required, reply_charset, reply_from, reply_from_name, signature_enc
                FROM mailboxes WHERE id = ?
                """, [.integer(mailbox)]
            ).first
        else { throw InquiryError.notFound("mailbox \(mailbox)") }
        return MailboxReplySettings(
            approvalRequired: row.int64("approval_required") == 1,
            charset: MailboxReplySettings.Charset(rawValue: row.string("reply_charset") ?? "") ?? .utf8,
            fromAddress: row.string("reply_from"), fromName: row.string("reply_from_name"),
            signature: try tx.openString(
                row["signature_enc"], table: "mailboxes", column: "signature_enc", row: mailbox))
    }

    /// Every mailbox's name and reply settings, by name.
    /// - Throws: `StoreError`, `CryptoError`.
    public static func allReplySettings(in tx: DatabaseTransaction) throws
        -> [(name: String, settings: MailboxReplySettings)]
    {
        try tx.rows("SELECT id, name FROM mailboxes ORDER BY name").compactMap { row in
            guard let id = row.int64("id"), let name = row.string("name") else { return nil }
            return (name, try replySettings(mailbox: id, in: tx))
        }
    }

    /// Changes a mailbox's reply settings.
    /// - Parameters:
    ///   - mailbox: `mailboxes.id`.
    ///   - change: the settings to change; the signature is trimmed, CRLF as LF, at most
    ///     `MailboxReplySettings.maximumSignatureLength` characters.
    ///   - now: Unix time (`updated_at`).
    ///   - tx: a write transaction.
    /// - Returns: the audit detail: `approval` on/off, `charset`, and `set`/`removed` for
    ///   `reply_from`, `reply_from_name` and `signature` (no texts).
    /// - Throws: `AnsweringError.invalidSetting`, `InquiryError.notFound`, `StoreError`, `CryptoError`.
    @discardableResult
    public static func setReplySettings(
        mailbox: Int64, _ change: MailboxReplySettings.Change, now: Int64, in tx: DatabaseTransaction
    ) throws -> [String: String] {
        guard !change.isEmpty else { throw AnsweringError.invalidSetting("no reply setting given") }
        if let address = change.fromAddress, !MailboxReplySettings.isPlainAddress(address) {
            throw AnsweringError.invalidSetting("the reply From address must be one plain ASCII local@domain")
        }
        if let name = change.fromName, !Users.isValidDisplayName(name) {
            throw AnsweringError.invalidSetting(
                "the reply From name is 1 to 100 characters without control characters or surrounding blanks")
        }
        guard try tx.rows("SELECT 1 FROM mailboxes WHERE id = ?", [.integer(mailbox)]).first != nil else {
            throw InquiryError.notFound("mailbox \(mailbox)")
        }
        var values = RowValues()
        var detail: [String: String] = [:]
        if let approval = change.approvalRequired {
            values.set("approval_required", .integer(approval ? 1 : 0))
            detail["approval"] = approval ? "on" : "off"
        }
        if let charset = change.charset {
            values.set("reply_charset", .text(charset.rawValue))
            detail["charset"] = charset.rawValue
        }
        if let address = change.fromAddress {
            values.set("reply_from", .text(address))
            detail["reply_from"] = "set"
        }
        if let name = change.fromName {
            values.set("reply_from_name", .text(name))
            detail["reply_from_name"] = "set"
        }
        if let signature = change.signature {
            let text: String?
            do {
                text = try signature.map {
                    try InquiryWork.cleanText($0, maximum: MailboxReplySettings.maximumSignatureLength)
                }
            } catch let error as AnsweringError {
                throw AnsweringError.invalidSetting("signature: \(error.description)")
            }
            values.seal("signature_enc", text)
            detail["signature"] = text == nil ? "removed" : "set"
        }
        values.set("updated_at", .integer(now))
        try tx.update("mailboxes", id: mailbox, values)
        return detail
    }
}
