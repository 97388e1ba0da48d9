// MessageFlags: the `messages.flags` bitmask. Marks mail that must never get an
// automatic answer (auto-responders, bounces, loops, lists; madoguchi-security(7) A27) and mail
// whose own Message-ID was already filed (a re-delivery with different bytes, A28).
// For the web page: From in an internal domain, Reply-To ≠ From (A26), claims (A25), floods (A27).

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
/// - `internalSender`: a From address in one of `internal_domains` or a subdomain.
/// - `replyToDiffers`: a Reply-To address that is none of the From addresses (after
///   `CustomerAddress.normalize`).
///
/// The filer sets `duplicateMessageID`, `threadClaim` and `overSenderLimit`.
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
    /// Its From address claims one of the company's own domains (`internal_domains`):
    /// the sender is not authenticated, so it may be forged (A26).
    public static let internalSender = MessageFlags(rawValue: 1 << 6)
    /// Its Reply-To names an address that is not its From address: a reply would go
    /// elsewhere (A26).
    public static let replyToDiffers = MessageFlags(rawValue: 1 << 7)
    /// It named an inquiry (tag, Message-ID) without proof and was not attached to it;
    /// the inquiry id is in `inquiries.claimed_inquiry_id` of the inquiry it started (A25).
    public static let threadClaim = MessageFlags(rawValue: 1 << 8)
    /// Its sender had sent more than `intake_sender_limit` messages in the hour before,
    /// so it went into the sender's overflow inquiry instead of a new one (A27).
    public static let overSenderLimit = MessageFlags(rawValue: 1 << 9)

    /// Mail nothing may answer automatically.
    public static let noAutoReply: MessageFlags = [.autoSubmitted, .bounce, .loop, .list, .bulk, .overSenderLimit]

    /// Whether an automatic reply to this message is forbidden.
    public var forbidsAutoReply: Bool { !intersection(.noAutoReply).isEmpty }

    /// The flags a parsed message's header fields call for.
    /// - Parameters:
    ///   - message: the parsed message.
    ///   - internalDomains: the company's own domains (`internal_domains`).
    public static func detect(in message: ParsedMessage, internalDomains: InternalDomains = InternalDomains([]))
        -> MessageFlags
    {
        var flags: MessageFlags = []
        if message.from.contains(where: { internalDomains.contains(address: $0.address) }) {
            flags.insert(.internalSender)
        }
        if !message.replyTo.isEmpty {
            let senders = Set(message.from.compactMap { CustomerAddress.normalize($0.address) })
            if message.replyTo.contains(where: { !senders.contains(CustomerAddress.normalize($0.address) ?? "") }) {
                flags.insert(.replyToDiffers)
            }
        }
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
