// ConfigSchema+TLS: the tls_* parameters: the web page's certificate and private key,
// read before the program drops privileges.

extension ConfigKey<String> {
    /// `tls_certificate_file`: the PEM certificate chain path.
    public static let tlsCertificateFile = path(
        "tls_certificate_file", default: "/etc/madoguchi/tls/cert.pem",
        "PEM certificate (chain) of the web page.")

    /// `tls_key_file`: the PEM private key path.
    public static let tlsKeyFile = path(
        "tls_key_file", default: "/etc/madoguchi/tls/key.pem",
        "PEM private key of the web page certificate.")
}
