// ConfigSchema+Search: the search_* parameters: the bound on how much one encrypted
// substring search decrypts.

extension ConfigKey<Int64> {
    /// `search_candidate_limit`: a count of index candidates.
    public static let searchCandidateLimit = integer(
        "search_candidate_limit", default: "2000",
        "Most index candidates one search decrypts and confirms before asking for a narrower query.")
}
