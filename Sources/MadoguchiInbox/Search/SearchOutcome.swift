// SearchOutcome: what an encrypted search found, after decrypt-confirmation.

/// Matches confirmed by decryption, newest first.
public struct SearchOutcome: Sendable, Equatable {
    /// Message ids whose subject or body contains the query.
    public var messageIDs: [Int64]
    /// Candidates the index returned (before confirmation).
    public var candidates: Int
    /// Whether the candidate cap was reached, so older matches may be missing.
    public var truncated: Bool
    /// Whether confirmation stopped at the result limit with candidates left unchecked,
    /// so older matches may be missing.
    public var limited: Bool
    /// Index terms (distinct bigrams) of the query; 0 when it was answered by a scan.
    public var terms: Int
}
