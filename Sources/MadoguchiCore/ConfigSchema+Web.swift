// ConfigSchema+Web: the web_* parameters and ip_allow: where madoguchi-web listens,
// its optional plain-HTTP redirect port, the base URL links and redirects are built
// from (never the Host header, madoguchi-security(7) D10), the connection caps (D3)
// and the address allow-list checked on the socket's peer address (D7).

extension ConfigKey<String> {
    /// `web_listen`: `IP:port` or `[IPv6]:port` of the HTTPS listener.
    public static let webListen = string(
        "web_listen", default: "127.0.0.1:8443",
        "Address and port of the HTTPS web page: IP:port or [IPv6]:port.")

    /// `web_redirect_listen`: `IP:port` of the plain-HTTP redirect listener; empty is off.
    public static let webRedirectListen = string(
        "web_redirect_listen", default: "",
        "Address and port of a plain-HTTP listener that only redirects to web_base_url; empty means none.")

    /// `web_base_url`: the `https://` URL of the page; empty derives it from `web_listen`.
    public static let webBaseURL = string(
        "web_base_url", default: "",
        "The https:// URL the page is reached at, used for redirects and links; empty means https:// and web_listen.")

    /// `ip_allow`: CIDR blocks, separated by commas or blanks.
    public static let ipAllow = string(
        "ip_allow", default: "127.0.0.0/8, ::1/128, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7, fe80::/10",
        "CIDR blocks (IPv4 and IPv6) a client's address must be in; checked on the connection, before TLS.")
}

extension ConfigKey<String> {
    /// `web_time_zone`: an IANA time zone name.
    public static let webTimeZone = string(
        "web_time_zone", default: "Asia/Tokyo", "Time zone the web page shows dates and times in (IANA name).")
}

extension ConfigKey<Int64> {
    /// `web_max_connections`: a count of simultaneous connections (and connection threads).
    public static let webMaxConnections = integer(
        "web_max_connections", default: "256",
        "Most connections the web page serves at once; more are closed at once.")

    /// `web_max_connections_per_peer`: a count of simultaneous connections from one address.
    public static let webMaxConnectionsPerPeer = integer(
        "web_max_connections_per_peer", default: "20",
        "Most connections at once from one client address; more from it are closed at once.")
}

extension Configuration {
    /// `web_base_url`, or `https://` followed by `web_listen` when it is empty (right
    /// for a loopback instance; a wildcard `web_listen` needs an explicit base URL).
    /// A trailing `/` is dropped.
    public var webBaseURL: String {
        let configured = self[.webBaseURL]
        let base = configured.isEmpty ? "https://" + self[.webListen] : configured
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }
}

extension ConfigKey<Double> {
    /// `web_elapsed_warning`, in seconds.
    public static let webElapsedWarning = duration(
        "web_elapsed_warning", default: "4h",
        "An inquiry still new for this long shows its elapsed time in amber in the inbox.")

    /// `web_elapsed_alert`, in seconds.
    public static let webElapsedAlert = duration(
        "web_elapsed_alert", default: "24h",
        "An inquiry still new for this long shows its elapsed time in red in the inbox.")
}
