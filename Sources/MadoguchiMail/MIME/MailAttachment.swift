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

    /// Creates an attachment.
    public init(filename: String?, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}
