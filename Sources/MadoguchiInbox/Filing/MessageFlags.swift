// MessageFlags: the `messages.flags` bitmask. Marks mail that must never get an
// automatic answer (auto-responders, bounces, loops, lists; madoguchi-security(7) A27) and mail
// whose own Message-ID was already filed (a re-delivery with different bytes, A28).

import MadoguchiMail

/// Bits of `messages.flags` (values are stored; never renumber them).
///
/// Detection (`MessageFlags.detect(in:)`), from the top-level header fields:
/// - `autoSubmitted`: `Auto-Submitted` present and not `no` (RFC 3834), `X-Autoreply`,
///   `X-Autorespond`, or `Precedence: auto_reply`.
/// - `bounce`: `Return-Path: <>`, a `MAILER-DAEMON` sender, or a
///   `multipart/report; report-type=delivery-status` body.
/// - `loop`: an `X-Loop` field.
/// - `list`: `List-Id`, or `Precedence: list`.
/// - `bulk`: `Precedence: bulk` or `junk`.
public struct MessageFlags: OptionSet, Sendable, Hashable {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// Sent by an automatic responder (vacation, ticket systems).
    public static let autoSubmitted = MessageFlags(rawValue: 1 << 0)
    /// A delivery status notification (bounce).
    public static let bounce = MessageFlags(rawValue: 1 << 1)
    /// Carries a loop marker.
    public static let loop = MessageFlags(rawValue: 1 << 2)
    /// Came through a mailing list.
    public static let list = MessageFlags(rawValue: 1 << 3)
    /// Bulk or junk mail by its own declaration.
    public static let bulk = MessageFlags(rawValue: 1 << 4)
    /// Its Message-ID was already filed for the same customer (a re-delivery).
    public static let duplicateMessageID = MessageFlags(rawValue: 1 << 5)

    /// Mail nothing may answer automatically.
    public static let noAutoReply: MessageFlags = [.autoSubmitted, .bounce, .loop, .list, .bulk]

    /// Whether an automatic reply to this message is forbidden.
    public var forbidsAutoReply: Bool { !intersection(.noAutoReply).isEmpty }

    /// The flags a parsed message's header fields call for.
    public static func detect(in message: ParsedMessage) -> MessageFlags {
        var flags: MessageFlags = []
        let headers = message.headers
        if let value = headers.first("Auto-Submitted"), firstToken(value) != "no" { flags.insert(.autoSubmitted) }
        if headers.field("X-Autoreply") != nil || headers.field("X-Autorespond") != nil {
            flags.insert(.autoSubmitted)
        }
        switch headers.first("Precedence").map(firstToken) {
        case "bulk", "junk": flags.insert(.bulk)
        case "list": flags.insert(.list)
        case "auto_reply": flags.insert(.autoSubmitted)
        default: break
        }
        if headers.field("List-Id") != nil { flags.insert(.list) }
        if headers.field("X-Loop") != nil { flags.insert(.loop) }
        if let returnPath = headers.first("Return-Path"),
            returnPath.filter({ !$0.isWhitespace }) == "<>"
        {
            flags.insert(.bounce)
        }
        if let sender = message.from.first?.address,
            sender.split(separator: "@").first.map({ $0.lowercased() == "mailer-daemon" }) == true
        {
            flags.insert(.bounce)
        }
        if let contentType = headers.first("Content-Type")?.lowercased(),
            contentType.hasPrefix("multipart/report"), contentType.contains("delivery-status")
        {
            flags.insert(.bounce)
        }
        return flags
    }

    /// The first `;`- or blank-separated token, lower-cased.
    private static func firstToken(_ value: String) -> String {
        let token = value.split(whereSeparator: { $0 == ";" || $0.isWhitespace }).first ?? ""
        return token.lowercased()
    }
}
