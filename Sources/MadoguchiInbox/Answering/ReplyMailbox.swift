// ReplyMailbox: the reply settings of a mailbox as replies need them (approval, charset,
// From address and name, signature), read straight from `mailboxes`.
// MERGE: the workflow branch's `replySettings(mailbox:)` reads the same columns; once it
// is on main, `load` should call it so there is one reader.

import MadoguchiStore

/// A mailbox's reply settings.
struct ReplyMailbox {
    /// Replies wait for approval.
    var approvalRequired: Bool
    /// `utf-8` or `iso-2022-jp`.
    var charset: String
    /// The From address of replies, if set.
    var fromAddress: String?
    /// The From display name, if set.
    var fromName: String?
    /// The signature, decrypted, if set.
    var signature: String?

    /// The settings of mailbox `id`.
    /// - Throws: `InquiryError.notFound`, `StoreError`, `CryptoError`.
    static func load(_ id: Int64, in tx: DatabaseTransaction) throws -> ReplyMailbox {
        guard
            let row = try tx.rows(
                "SELECT approval_required, reply_charset, reply_from, reply_from_name, signature_enc FROM mailboxes WHERE id = ?",
                [.integer(id)]
            ).first
        else { throw InquiryError.notFound("mailbox \(id)") }
        return ReplyMailbox(
            approvalRequired: row.int64("approval_required") == 1, charset: row.string("reply_charset") ?? "utf-8",
            fromAddress: row.string("reply_from"), fromName: row.string("reply_from_name"),
            signature: try tx.openString(row["signature_enc"], table: "mailboxes", column: "signature_enc", row: id))
    }

    /// The domain of the From address, lower-cased, for our Message-IDs.
    var messageIDHost: String? {
        guard let address = fromAddress, let at = address.lastIndex(of: "@") else { return nil }
        let host = address[address.index(after: at)...].lowercased()
        return host.isEmpty ? nil : host
    }
}
