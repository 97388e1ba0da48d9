// Database+Fixture: files one realistic Japanese/ASCII inquiry (mailbox, customer,
// inquiry, message, attachment) through the sealed row builder, for store tests,
// plaintext-leak scans and domain tests.

import Foundation
import MadoguchiCrypto
import MadoguchiStore

extension Database {
    /// Files `sample` as a new inquiry in one write transaction.
    /// - Parameters:
    ///   - sample: the mail.
    ///   - intakeID: the unique intake id of the message.
    ///   - now: Unix time used for every timestamp.
    /// - Throws: `StoreError`, `CryptoError`.
    @discardableResult
    public func fileSample(
        _ sample: SampleMail = SampleMail(), intakeID: String = "intake-0001", now: Int64 = 1_780_000_000
    )
        throws -> FiledSample
    {
        try write { tx in
            let mailboxID: Int64
            if let existing = try tx.rows("SELECT id FROM mailboxes WHERE name = ?", [.text(sample.mailboxName)])
                .first?.int64("id")
            {
                mailboxID = existing
            } else {
                var mailbox = RowValues()
                mailbox.set("name", .text(sample.mailboxName))
                mailbox.set("created_at", .integer(now))
                mailbox.set("updated_at", .integer(now))
                mailboxID = try tx.insert(into: "mailboxes", mailbox)
            }

            var customer = RowValues()
            customer.set("address_index", .blob(try SecureRandom.bytes(32)))
            customer.seal("address_enc", sample.fromAddress)
            customer.seal("name_enc", sample.fromName)
            customer.set("pseudonym", .text("C-" + Hex.encode(try SecureRandom.bytes(4)).uppercased()))
            customer.set("created_at", .integer(now))
            let customerID = try tx.insert(into: "customers", customer)

            var inquiry = RowValues()
            inquiry.set("mailbox_id", .integer(mailboxID))
            inquiry.set("customer_id", .integer(customerID))
            inquiry.set("status", "new")
            inquiry.seal("subject_enc", sample.subject)
            inquiry.set("created_at", .integer(now))
            inquiry.set("updated_at", .integer(now))
            inquiry.set("last_message_at", .integer(now))
            let inquiryID = try tx.insert(into: "inquiries", inquiry)

            var message = RowValues()
            message.set("inquiry_id", .integer(inquiryID))
            message.set("mailbox_id", .integer(mailboxID))
            message.set("intake_id", .text(intakeID))
            message.set("direction", "in")
            message.set("received_at", .integer(now))
            message.set("size", .int(sample.rawMessage.count))
            message.set("message_id_index", .blob(try SecureRandom.bytes(32)))
            message.seal("subject_enc", sample.subject)
            message.seal("from_name_enc", sample.fromName)
            message.seal("from_addr_enc", sample.fromAddress)
            message.seal("to_enc", "support@example.com")
            message.seal("reply_to_enc", sample.fromAddress)
            message.seal("headers_enc", "Subject: \(sample.subject)\nFrom: \(sample.fromName) <\(sample.fromAddress)>")
            message.seal("text_body_enc", sample.textBody)
            message.seal("html_body_enc", sample.htmlBody)
            message.seal("raw_enc", sample.rawMessage)
            let messageID = try tx.insert(into: "messages", message)

            var attachment = RowValues()
            attachment.set("message_id", .integer(messageID))
            attachment.set("ordinal", 0)
            attachment.seal("filename_enc", sample.attachmentName)
            attachment.set("content_type", "application/pdf")
            attachment.set("size", .int(sample.attachmentData.count))
            attachment.seal("sha256_enc", SHA256Hasher.hash(sample.attachmentData))
            attachment.seal("data_enc", sample.attachmentData)
            let attachmentID = try tx.insert(into: "attachments", attachment)

            return FiledSample(
                mailboxID: mailboxID, customerID: customerID, inquiryID: inquiryID, messageID: messageID,
                attachmentID: attachmentID)
        }
    }
}
