// ConfigSchema+Mail: the mail_* parameters: limits of the mail parser. A message
// beyond them is held as oversize or malformed, never filed half-parsed.

extension ConfigKey<Int64> {
    /// `mail_max_message_size`, in bytes.
    public static let mailMaxMessageSize = size(
        "mail_max_message_size", default: "25M",
        "Largest message accepted; larger ones are held as oversize with their headers.")

    /// `mail_max_mime_depth`: a count of nesting levels.
    public static let mailMaxMIMEDepth = integer(
        "mail_max_mime_depth", default: "32",
        "Deepest nesting of multipart and message/rfc822 parts before a message is malformed.")

    /// `mail_max_mime_parts`: a count of MIME parts.
    public static let mailMaxMIMEParts = integer(
        "mail_max_mime_parts", default: "1000",
        "Most MIME parts in one message before it is malformed.")

    /// `mail_max_header_fields`: a count of header fields.
    public static let mailMaxHeaderFields = integer(
        "mail_max_header_fields", default: "1000",
        "Most header fields in one header block before a message is malformed.")

    /// `mail_max_header_size`, in bytes.
    public static let mailMaxHeaderSize = size(
        "mail_max_header_size", default: "256k",
        "Largest header block (all fields of one part) before a message is malformed.")
}
