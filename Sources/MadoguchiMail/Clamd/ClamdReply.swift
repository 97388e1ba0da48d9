// ClamdReply: the pure parser of clamd's NUL-terminated replies, separate from
// the socket so every reply shape is tested without a daemon. SECURITY: fails
// closed; only the exact bytes "stream: OK" are clean, everything unknown throws.

/// Parsers for replies of clamd's `z`-prefixed commands.
public enum ClamdReply {
    /// Longest reply accepted, in bytes; clamd's replies are a line of text.
    public static let maxLength = 1024

    /// Interprets the reply to `zINSTREAM` (without its terminating NUL).
    /// - Parameter reply: the reply bytes before the NUL.
    /// - Returns: `.clean` only for exactly `stream: OK`; `.infected` for `stream: <name> FOUND`.
    /// - Throws: `ScanError.sizeLimitExceeded`, `.scannerError` or `.badReply` for anything else.
    public static func verdict(_ reply: [UInt8]) throws -> ScanVerdict {
        let text = try printableText(reply)
        if text == "stream: OK" { return .clean }
        if text.hasPrefix("INSTREAM size limit exceeded") { throw ScanError.sizeLimitExceeded(reply: text) }
        if text.hasSuffix(" ERROR") || text == "ERROR" { throw ScanError.scannerError(reply: text) }
        let prefix = "stream: "
        let suffix = " FOUND"
        if text.hasPrefix(prefix), text.hasSuffix(suffix), text.count > prefix.count + suffix.count {
            let name = text.dropFirst(prefix.count).dropLast(suffix.count)
            if let first = name.first, let last = name.last, first != " ", last != " " {
                return .infected(signature: String(name))
            }
        }
        throw ScanError.badReply(text)
    }

    /// Interprets the reply to `zPING`.
    /// - Throws: `ScanError.badReply` unless it is exactly `PONG`.
    public static func pong(_ reply: [UInt8]) throws {
        let text = try printableText(reply)
        guard text == "PONG" else { throw ScanError.badReply(text) }
    }

    /// Interprets the reply to `zVERSION`, e.g. `ClamAV 1.4.6/27470/Thu Nov 28 09:30:00 2026`.
    /// - Returns: the version text.
    /// - Throws: `ScanError.badReply` unless it starts with `ClamAV `.
    public static func version(_ reply: [UInt8]) throws -> String {
        let text = try printableText(reply)
        guard text.hasPrefix("ClamAV ") else { throw ScanError.badReply(text) }
        return text
    }

    /// The reply as text when it is non-empty printable ASCII within `maxLength`.
    private static func printableText(_ reply: [UInt8]) throws -> String {
        guard !reply.isEmpty else { throw ScanError.badReply("empty reply") }
        guard reply.count <= maxLength else { throw ScanError.badReply("reply longer than \(maxLength) bytes") }
        let printable = reply.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        let text = String(decoding: reply, as: UTF8.self)
        guard printable else { throw ScanError.badReply("non-printable reply " + text) }
        return text
    }
}
