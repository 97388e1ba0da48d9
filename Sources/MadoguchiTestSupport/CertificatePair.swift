// CertificatePair: a certificate file and its private key file, as TestCertificates
// makes them.

/// A certificate file and its private key file.
public struct CertificatePair: Sendable, Equatable {
    /// PEM certificate path.
    public let certificate: String
    /// PEM private key path (unencrypted).
    public let key: String
}
