// MailLimits: the parser's bounds (depth, parts, header fields, sizes), read from
// madoguchi.conf. A message beyond any bound gets the "malformed" verdict with its
// raw bytes kept; nothing is truncated silently.

import MadoguchiCore

/// Bounds on what the message parser accepts.
public struct MailLimits: Sendable, Equatable {
    /// Largest message in bytes (`mail_max_message_size`).
    public var maxMessageSize: Int
    /// Deepest MIME nesting (`mail_max_mime_depth`).
    public var maxDepth: Int
    /// Most MIME parts (`mail_max_mime_parts`).
    public var maxParts: Int
    /// Most header fields in one header block (`mail_max_header_fields`).
    public var maxHeaderFields: Int
    /// Largest header block in bytes (`mail_max_header_size`).
    public var maxHeaderSize: Int

    /// Creates limits.
    public init(maxMessageSize: Int, maxDepth: Int, maxParts: Int, maxHeaderFields: Int, maxHeaderSize: Int) {
        self.maxMessageSize = maxMessageSize
        self.maxDepth = maxDepth
        self.maxParts = maxParts
        self.maxHeaderFields = maxHeaderFields
        self.maxHeaderSize = maxHeaderSize
    }

    /// The limits configured in `configuration` (defaults where unset).
    public init(_ configuration: Configuration) {
        self.init(
            maxMessageSize: Int(configuration[.mailMaxMessageSize]),
            maxDepth: Int(configuration[.mailMaxMIMEDepth]),
            maxParts: Int(configuration[.mailMaxMIMEParts]),
            maxHeaderFields: Int(configuration[.mailMaxHeaderFields]),
            maxHeaderSize: Int(configuration[.mailMaxHeaderSize]))
    }

    /// The built-in defaults.
    public static let standard = MailLimits(.defaults)
}
