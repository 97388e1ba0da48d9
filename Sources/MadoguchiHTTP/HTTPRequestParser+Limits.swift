// HTTPRequestParser+Limits: the size limits the parser enforces while it reads
// (madoguchi-security(7) D4): request line (414), field count, field size and header
// block (431), body (413, refused before any body memory is allocated).

extension HTTPRequestParser {
    /// Size limits, in bytes unless stated.
    public struct Limits: Sendable {
        /// Longest request line without its CRLF (default 8 KiB); longer is 414.
        public var maxRequestLine = 8 * 1024
        /// Most header fields (default 100); more is 431.
        public var maxHeaderFields = 100
        /// Longest header field line without its CRLF (default 8 KiB); longer is 431.
        public var maxFieldSize = 8 * 1024
        /// Most bytes of all header lines together (default 32 KiB); more is 431.
        public var maxHeaderBlock = 32 * 1024
        /// Largest body (default 64 KiB); a larger `Content-Length` is 413.
        public var maxBodySize = 64 * 1024
        /// A per-route body limit that replaces `maxBodySize` when it returns a value
        /// (e.g. the routes that take attachments); called with the method and the
        /// decoded path once the header block is complete.
        public var bodyLimit: (@Sendable (HTTPMethod, String) -> Int?)?

        /// The defaults above.
        public init() {}

        /// The most bytes a complete header block (request line included) can take.
        var maxHead: Int { maxRequestLine + 2 + maxHeaderBlock + 2 * maxHeaderFields + 2 + maxLeadingEmptyLines * 2 }

        /// Empty lines before a request line that are skipped (RFC 9112 section 2.2).
        var maxLeadingEmptyLines: Int { 4 }
    }
}
