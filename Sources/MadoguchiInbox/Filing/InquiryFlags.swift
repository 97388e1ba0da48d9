// InquiryFlags: the `inquiries.flags` bitmask, for the web page to show. Today one
// bit: the overflow inquiry of a sender over `intake_sender_limit` (A27 in
// madoguchi-security(7)).

/// Bits of `inquiries.flags` (values are stored; never renumber them).
public struct InquiryFlags: OptionSet, Sendable, Hashable {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// Collects the messages of a sender who sent more than `intake_sender_limit`
    /// messages in an hour, instead of one new inquiry each.
    public static let senderOverflow = InquiryFlags(rawValue: 1 << 0)
}
