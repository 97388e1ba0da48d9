// ParseVerdict: whether a message parsed within the limits. A malformed message
// keeps its raw bytes and whatever could be extracted; the reason is for operators.

/// The parser's verdict on a message.
public enum ParseVerdict: Sendable, Equatable {
    /// Parsed within all limits.
    case ok
    /// Beyond a limit (size, depth, parts, header fields or size); held with a reason.
    case malformed(reason: String)
}
