// TLSMode: how a mailbox connection is protected: implicit TLS, strict STARTTLS,
// or none (madoguchi-security(7) TLS, B6).

/// How a mailbox connection is protected.
public enum TLSMode: String, Sendable, Equatable, CaseIterable {
    /// TLS from the first byte (POP3S 995, IMAPS 993). The default.
    case implicit
    /// Plaintext greeting, then STLS/STARTTLS; strict (abort if not offered).
    case starttls
    /// No TLS at all; only by explicit configuration, reported as a warning.
    case none
}
