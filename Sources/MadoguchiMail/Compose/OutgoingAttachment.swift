// OutgoingAttachment: a file sent with a reply. The name and type are what the
// operator's browser said: untrusted (C5); the composer sanitizes both.

/// A file attached to a reply.
public struct OutgoingAttachment: Sendable, Equatable {
    /// The file name as uploaded; path parts and control characters are removed when
    /// the message is composed (`AttachmentName`).
    public var filename: String
    /// The media type as uploaded (`type/subtype`); anything else, and multipart or
    /// message types, are sent as `application/octet-stream`.
    public var contentType: String
    /// The file's bytes.
    public var data: [UInt8]

    /// Creates an attachment.
    /// - Parameters:
    ///   - filename: the uploaded file name.
    ///   - contentType: the uploaded media type.
    ///   - data: the file's bytes.
    public init(filename: String, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}
