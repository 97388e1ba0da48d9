// QuarantineResult: what quarantining one spooled message did (the new quarantine id,
// or nothing for a duplicate). Ids only: nothing here is customer data.

/// The outcome of `Filer.quarantine`.
public enum QuarantineResult: Sendable, Equatable {
    /// Stored as `quarantine` row `id`.
    case quarantined(id: Int64)
    /// This intake id is already quarantined or filed; nothing was written.
    case duplicate
}
