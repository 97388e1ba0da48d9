// SMTPAuthMechanism: the SASL mechanisms the SMTP client speaks (RFC 4954): PLAIN
// (RFC 4616) and LOGIN (draft-murchison-sasl-login), both only over TLS or loopback.

/// A SASL mechanism for SMTP AUTH.
public enum SMTPAuthMechanism: String, Sendable, Equatable, CaseIterable {
    /// `AUTH PLAIN` with the initial response (RFC 4616).
    case plain = "PLAIN"
    /// `AUTH LOGIN`: user name and password in two base64 challenges.
    case login = "LOGIN"
}
