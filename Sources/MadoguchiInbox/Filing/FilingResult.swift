// FilingResult: what filing one spooled message did (QuarantineResult is its
// counterpart for infected mail).
// Ids only: nothing here is customer data.

/// The outcome of `Filer.file`.
public enum FilingResult: Sendable, Equatable {
    /// Filed into an inquiry (new or existing).
    case filed(inquiryID: Int64, messageID: Int64)
    /// A message with this intake id is already filed; nothing was written.
    case duplicate
    /// Filed, but the parser gave up on it (reason for the admin); raw kept.
    case malformed(inquiryID: Int64, messageID: Int64, reason: String)
}
