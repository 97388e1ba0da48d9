// ScanVerdict: what clamd decided about one message. There is no "unknown"
// case on purpose: anything that is not a verdict is a thrown ScanError, so a
// caller cannot file a message without an explicit "stream: OK".

/// The outcome of a virus scan that clamd actually completed.
public enum ScanVerdict: Sendable, Equatable {
    /// clamd answered exactly `stream: OK`.
    case clean
    /// clamd answered `stream: <signature> FOUND`; `signature` is that name
    /// (for example `Heuristics.Limits.Exceeded.MaxFileSize` or `Win.Test.EICAR_HDB-1`).
    case infected(signature: String)
}
