// SMTPRelay: the relay replies leave through: host, port, TLS mode, the name we
// greet with, optional AUTH credentials and the CA to trust. SECURITY: certificates
// and host names (or IP SANs) are verified as for the fetch accounts, and `tls = none`
// is refused unless the host is loopback (madoguchi-security(7) C6).

/// An SMTP relay (submission server or local MTA).
public struct SMTPRelay: Sendable, Equatable, CustomStringConvertible {
    /// Host name or IP literal (checked against the certificate).
    public var host: String
    /// TCP port.
    public var port: UInt16
    /// Implicit TLS (submissions, RFC 8314), strict STARTTLS (RFC 3207), or none (loopback only).
    public var tls: TLSMode
    /// The domain (or address literal) sent in EHLO.
    public var heloName: String
    /// AUTH PLAIN or LOGIN credentials, or nil to send without AUTH.
    public var credentials: SMTPCredentials?
    /// A PEM CA bundle to trust instead of the system store, or nil.
    public var caFile: String?

    /// Creates a relay; `port` defaults to 465 (implicit), 587 (starttls) or 25 (none).
    public init(
        host: String, port: UInt16? = nil, tls: TLSMode = .implicit, heloName: String,
        credentials: SMTPCredentials? = nil, caFile: String? = nil
    ) {
        self.host = host
        self.port = port ?? SMTPRelay.defaultPort(tls)
        self.tls = tls
        self.heloName = heloName
        self.credentials = credentials
        self.caFile = caFile
    }

    /// 465 for implicit TLS, 587 for STARTTLS, 25 for none.
    public static func defaultPort(_ tls: TLSMode) -> UInt16 {
        switch tls {
        case .implicit: 465
        case .starttls: 587
        case .none: 25
        }
    }

    /// Whether the relay is reached without TLS over the network (refused by `SMTPSession.open`).
    public var isPlaintextOverNetwork: Bool { tls == .none && !FetchAccount.isLoopback(host) }

    /// `smtp host:port, tls=…, auth user`, without the password.
    public var description: String {
        "smtp \(host):\(port), tls=\(tls.rawValue)" + (credentials.map { ", auth \($0.user)" } ?? "")
    }
}
