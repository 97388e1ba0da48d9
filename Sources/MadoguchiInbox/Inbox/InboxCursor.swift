// InboxCursor: the keyset position after which the next inbox page starts — the
// last shown inquiry's (last_message_at, id) — so page 2,000 costs what page 1
// costs (no OFFSET). Its text form `<time>-<id>` travels in the page's URL; it
// names no content.

/// Where the next inbox page starts.
public struct InboxCursor: Sendable, Equatable, LosslessStringConvertible {
    /// `inquiries.last_message_at` of the last shown inquiry.
    public var lastMessageAt: Int64
    /// `inquiries.id` of the last shown inquiry.
    public var id: Int64

    /// Creates a cursor.
    public init(lastMessageAt: Int64, id: Int64) {
        self.lastMessageAt = lastMessageAt
        self.id = id
    }

    /// Parses `<time>-<id>` (both decimal, the id positive); nil for anything else.
    public init?(_ description: String) {
        let parts = description.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 19 && $0.allSatisfy { $0 >= "0" && $0 <= "9" } }),
            let time = Int64(parts[0]), let id = Int64(parts[1]), time >= 0, id > 0
        else { return nil }
        self.init(lastMessageAt: time, id: id)
    }

    /// `<time>-<id>`.
    public var description: String { "\(lastMessageAt)-\(id)" }
}
