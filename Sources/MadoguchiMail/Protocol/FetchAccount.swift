// FetchAccount: one forwarded mailbox to fetch from (server, protocol, TLS mode,
// credentials). SECURITY: the password never appears in `description` or logs.

/// A mailbox the fetcher reads.
public struct FetchAccount: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// A short name for logs and the status page.
    public var name: String
    /// POP3 or IMAP.
    public var mailProtocol: MailProtocol
    /// Server host name or IP literal (checked against the certificate).
    public var host: String
    /// Server port.
    public var port: UInt16
    /// TLS mode.
    public var tls: TLSMode
    /// Login name.
    public var user: String
    /// Password (never printed).
    public var password: String
    /// A PEM CA bundle to trust instead of the system store, or nil.
    public var caFile: String?
    /// Keep messages on the server this many days instead of deleting them, or nil to delete.
    public var keepDays: Int?
    /// Whether `tls = none` was explicitly allowed for a host that is not loopback
    /// (`madoguchi mailbox add --allow-plaintext`); without it such an account is refused.
    public var allowPlaintext: Bool

    /// Creates an account; `port` defaults to the implicit-TLS or plain port of the protocol.
    public init(
        name: String, mailProtocol: MailProtocol, host: String, port: UInt16? = nil, tls: TLSMode = .implicit,
        user: String, password: String, caFile: String? = nil, keepDays: Int? = nil, allowPlaintext: Bool = false
    ) {
        self.name = name
        self.mailProtocol = mailProtocol
        self.host = host
        self.port = port ?? FetchAccount.defaultPort(mailProtocol, tls)
        self.tls = tls
        self.user = user
        self.password = password
        self.caFile = caFile
        self.keepDays = keepDays
        self.allowPlaintext = allowPlaintext
    }

    /// Whether `host` is a loopback address or `localhost` (plaintext there never leaves the machine).
    public static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" || name == "[::1]" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Whether this account sends credentials in plaintext to another machine.
    public var isPlaintextOverNetwork: Bool { tls == .none && !FetchAccount.isLoopback(host) }

    /// 995/993 for implicit TLS, 110/143 otherwise.
    public static func defaultPort(_ mailProtocol: MailProtocol, _ tls: TLSMode) -> UInt16 {
        switch (mailProtocol, tls) {
        case (.pop3, .implicit): 995
        case (.pop3, _): 110
        case (.imap, .implicit): 993
        case (.imap, _): 143
        }
    }

    /// `name (imap user@host:port, tls)`, without the password.
    public var description: String {
        "\(name) (\(mailProtocol.rawValue) \(user)@\(host):\(port), tls=\(tls.rawValue))"
    }

    /// Reflection (`dump`, debug descriptions) shows the password as `[hidden]`.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "name": name, "mailProtocol": mailProtocol, "host": host, "port": port, "tls": tls, "user": user,
                "password": "[hidden]", "caFile": caFile as Any, "keepDays": keepDays as Any,
            ])
    }
}
