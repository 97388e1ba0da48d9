// SMTPCredentials: the user name and password for SMTP AUTH. SECURITY: the password
// never appears in `description`, `dump` or any error (madoguchi-security(7) C6).

/// The login for SMTP AUTH (RFC 4954).
public struct SMTPCredentials: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// The SASL authentication identity.
    public var user: String
    /// The password (never printed).
    public var password: String
    /// The mechanism to use, or nil for PLAIN when the relay offers it, else LOGIN.
    public var mechanism: SMTPAuthMechanism?

    /// Creates credentials.
    /// - Parameters:
    ///   - user: the login name.
    ///   - password: the password.
    ///   - mechanism: force PLAIN or LOGIN; nil chooses from what the relay offers.
    public init(user: String, password: String, mechanism: SMTPAuthMechanism? = nil) {
        self.user = user
        self.password = password
        self.mechanism = mechanism
    }

    /// `user [password hidden]`.
    public var description: String { "\(user) [password hidden]" }

    /// Reflection shows the password as `[hidden]`.
    public var customMirror: Mirror {
        Mirror(self, children: ["user": user, "password": "[hidden]", "mechanism": mechanism as Any])
    }
}
