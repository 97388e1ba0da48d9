// IMAPStatus: the status word of an RFC 3501 status response (OK, NO, BAD, BYE,
// PREAUTH).

/// The status of a status response.
public enum IMAPStatus: String, Sendable, Equatable {
    /// Success.
    case ok = "OK"
    /// Operational failure.
    case no = "NO"
    /// Protocol error.
    case bad = "BAD"
    /// The server is closing the connection.
    case bye = "BYE"
    /// Greeting: already authenticated.
    case preauth = "PREAUTH"
}
