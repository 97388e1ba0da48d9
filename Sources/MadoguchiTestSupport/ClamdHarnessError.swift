// ClamdHarnessError: why the clamd test harness (real daemon, fake peer, sample
// builders) could not do its job; a setup failure, never a scan result.

/// A failure of the clamd test harness itself.
public struct ClamdHarnessError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, with the daemon's log tail where there is one.
    public let description: String

    /// Creates an error with a message.
    public init(_ description: String) {
        self.description = description
    }
}
