// MailAttachment: a non-body leaf of the MIME tree (file, inline image, forwarded
// message/rfc822 kept whole). SECURITY: `filename` is untrusted display text
// (may hold "../", NUL, bidi controls); storage must use generated ids only.

/// An attachment with its transfer-decoded bytes.
public struct MailAttachment: Sendable, Equatable {
    /// The decoded file name (Content-Disposition filename, else Content-Type name), untrusted.
    public let filename: String?
    /// The lower-case `type/subtype`.
    public let contentType: String
    /// The transfer-decoded bytes.
    public let data: [UInt8]
    /// The part's `Content-ID` (RFC 2392) without its angle brackets, as `cid:` URLs of
    /// an HTML part name it; nil when absent or not a plain printable ASCII id.
    public let contentID: String?

    /// Creates an attachment.
    public init(filename: String?, contentType: String, data: [UInt8], contentID: String? = nil) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
        self.contentID = contentID
    }

    /// The id inside a `Content-ID` value: `<id>` (or a bare id) trimmed, printable
    /// ASCII without blanks, at most 250 bytes; nil otherwise.
    public static func contentID(_ raw: [UInt8]) -> String? {
        var bytes = raw[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 || first == 0x0D || first == 0x0A {
            bytes = bytes.dropFirst()
        }
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0D || last == 0x0A {
            bytes = bytes.dropLast()
        }
        if bytes.first == UInt8(ascii: "<"), bytes.last == UInt8(ascii: ">") { bytes = bytes.dropFirst().dropLast() }
        guard !bytes.isEmpty, bytes.count <= 250, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
