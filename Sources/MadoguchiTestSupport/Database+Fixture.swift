// Database+Fixture: files one realistic Japanese/ASCII inquiry (mailbox, customer,
// inquiry, message, attachment) through the sealed row builder, for store tests,
// plaintext-leak scans and domain tests.

import Foundation
import MadoguchiCrypto
import MadoguchiStore

/// Known plaintext of a sample inquiry mail.
public struct SampleMail: Sendable {
    /// Mailbox name (clear metadata: the positive control of leak scans).
    public var mailboxName = "窓口サポート受付"
    /// Subject, Japanese and ASCII.
    public var subject = "【至急】請求書の再発行をお願いします Invoice reissue"
    /// Sender display name.
    public var fromName = "山田 太郎"
    /// Sender address.
    public var fromAddress = "yamada.taro@example.co.jp"
    /// Plain-text body.
    public var textBody =
        "いつもお世話になっております。先月の請求書（INV-2026-0042）の宛名を「株式会社サンプル商事」に変更して再発行していただけますか。"
        + " Thanks, Taro. Please call me at the office."
    /// HTML body.
    public var htmlBody = "<p>お振込先の口座番号を教えてください。</p><p>Kind regards</p>"
    /// Attachment file name.
    public var attachmentName = "見積書_サンプル商事.pdf"
    /// Attachment content.
    public var attachmentData = Array("%PDF-1.4 confidential quotation for Sample Shoji".utf8)

    /// The default sample.
    public init() {}

    /// The strings that must never appear in clear in a database file, by label.
    public var secrets: [(label: String, text: String)] {
        [
            ("subject", subject), ("from_name", fromName), ("from_address", fromAddress),
            ("text_body", textBody), ("html_body", htmlBody), ("attachment_name", attachmentName),
            ("attachment_data", String(decoding: attachmentData, as: UTF8.self)),
        ]
    }

    /// A raw RFC 5322 message as a Japanese mailer would send it: ISO-2022-JP
    /// encoded-word subject and From, base64 body.
    public var rawMessage: [UInt8] {
        func word(_ text: String) -> String {
            let bytes = PlaintextScanner.encode(text, charset: "ISO-2022-JP") ?? Array(text.utf8)
            return "=?ISO-2022-JP?B?\(Data(bytes).base64EncodedString())?="
        }
        let body = PlaintextScanner.encode(textBody, charset: "ISO-2022-JP") ?? Array(textBody.utf8)
        let text = """
            From: \(word(fromName)) <\(fromAddress)>\r
            To: support@example.com\r
            Subject: \(word(subject))\r
            Message-ID: <20261129.0001@example.co.jp>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=ISO-2022-JP\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Data(body).base64EncodedString(options: .lineLength76Characters))\r

            """
        return Array(text.utf8)
    }
}

/// Row ids of a filed sample.
public struct FiledSample: Sendable, Equatable {
    /// `mailboxes.id`.
    public let mailboxID: Int64
    /// `customers.id`.
    public let customerID: Int64
    /// `inquiries.id`.
    public let inquiryID: Int64
    /// `messages.id`.
    public let messageID: Int64
    /// `attachments.id`.
    public let attachmentID: Int64
}

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
            inquiry.set("status", "open")
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
