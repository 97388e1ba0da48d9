// SampleMail: the known plaintext of the sample inquiry Database+Fixture files, so
// plaintext-leak scans know every string to look for.

import Foundation

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
