// ClamdSamples: messages that carry the EICAR test file in the ways malware
// arrives (plain body, base64 part, attachment, zip, zip-in-zip, forwarded
// message/rfc822) and a clean Japanese inquiry. SECURITY: the EICAR string is
// built at run time from a reversed literal so no file in the repository matches it.

import Foundation

/// Sample messages for scanner tests; every builder returns raw RFC 5322 bytes with CRLF lines.
public enum ClamdSamples {
    /// The 68-byte EICAR anti-virus test file (eicar.org), built at run time.
    public static var eicar: [UInt8] {
        Array(String(reversedEICAR.reversed()).utf8)
    }

    /// EICAR reversed, so the test file never exists in the source or the binary.
    private static let reversedEICAR = #"*H+H$!ELIF-TSET-SURIVITNA-DRADNATS-RACIE$}7)CC7)^P(45XZP\4[PA@%P!O5X"#

    /// A single-part message whose text body is the EICAR string.
    public static func plainBody() -> [UInt8] {
        header(subject: "test", contentType: "text/plain; charset=US-ASCII", encoding: "7bit")
            + eicar + crlf("") + crlf("")
    }

    /// A single-part text/plain message whose body is EICAR in base64 transfer encoding.
    public static func base64Body() -> [UInt8] {
        header(subject: "test", contentType: "text/plain; charset=US-ASCII", encoding: "base64")
            + base64Lines(eicar) + crlf("")
    }

    /// A multipart/mixed message with a short text part and `data` as a base64 attachment.
    /// - Parameters:
    ///   - data: the attachment's bytes.
    ///   - filename: its file name.
    ///   - contentType: its media type.
    public static func attachment(_ data: [UInt8], filename: String, contentType: String) -> [UInt8] {
        let headers = [
            "Content-Type: \(contentType); name=\"\(filename)\"", "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"\(filename)\"",
        ]
        return multipart(subject: "見積書の件", text: "添付ファイルをご確認ください。", headers: headers, body: base64Lines(data))
    }

    /// A message forwarding `inner` as a `message/rfc822` attachment (not base64 encoded).
    public static func forwarded(_ inner: [UInt8]) -> [UInt8] {
        let headers = ["Content-Type: message/rfc822", "Content-Disposition: inline"]
        return multipart(subject: "Fwd: 見積書の件", text: "転送します。", headers: headers, body: inner + crlf(""))
    }

    /// multipart/mixed with a UTF-8 text part and one more part (`headers`, then `body` ending in CRLF).
    private static func multipart(subject: String, text: String, headers: [String], body: [UInt8]) -> [UInt8] {
        let boundary = "=_madoguchi_boundary_1"
        var out = header(subject: subject, contentType: "multipart/mixed; boundary=\"\(boundary)\"", encoding: nil)
        let lines =
            [
                "This is a multi-part message in MIME format.", "--\(boundary)",
                "Content-Type: text/plain; charset=UTF-8",
            ]
            + ["Content-Transfer-Encoding: 8bit", "", text, "--\(boundary)"] + headers + [""]
        for line in lines { out += crlf(line) }
        return out + body + crlf("--\(boundary)--")
    }

    /// A clean Japanese inquiry: UTF-8 text in base64 with RFC 2047 sender name and subject.
    public static func japaneseInquiry() -> [UInt8] {
        let body = """
            株式会社窓口 ご担当者様

            いつもお世話になっております。
            先日購入した製品①について、保証期間と修理の手続きを教えてください。
            ㈱サンプル商事　山田太郎
            """
        let from = "=?UTF-8?B?5bGx55Sw5aSq6YOO?= <yamada@example.co.jp>"
        return header(subject: "お問い合わせ（保証期間）", contentType: "text/plain; charset=UTF-8", encoding: "base64", from: from)
            + base64Lines(Array(body.utf8))
    }

    /// Header block of a sample message, ending with the empty line.
    private static func header(
        subject: String, contentType: String, encoding: String?, from: String = "Customer <customer@example.net>"
    ) -> [UInt8] {
        let encodedSubject = "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
        var out = crlf("From: \(from)")
        out += crlf("To: support@example.com")
        out += crlf("Subject: \(encodedSubject)")
        out += crlf("Date: Sun, 29 Nov 2026 09:00:00 +0900")
        out += crlf("Message-ID: <sample-\(subject.utf8.count)@example.net>")
        out += crlf("MIME-Version: 1.0")
        out += crlf("Content-Type: \(contentType)")
        if let encoding { out += crlf("Content-Transfer-Encoding: \(encoding)") }
        out += crlf("")
        return out
    }

    /// Base64 in 76-character lines (RFC 2045), each ending in CRLF.
    private static func base64Lines(_ data: [UInt8]) -> [UInt8] {
        let text = Data(data).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        return crlf(text)
    }

    private static func crlf(_ line: String) -> [UInt8] {
        Array(line.utf8) + [0x0D, 0x0A]
    }
}
