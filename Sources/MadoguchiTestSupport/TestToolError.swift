// TestToolError: a test-support tool run (openssl, dovecot, the built programs) that
// failed, with its output.

/// A failed test-support tool run (openssl, dovecot).
public struct TestToolError: Error, CustomStringConvertible {
    /// What failed, with the tool's output.
    public let description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
