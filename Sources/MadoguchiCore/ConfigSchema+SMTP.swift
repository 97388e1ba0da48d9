// ConfigSchema+SMTP: the smtp_* parameters of send-replies(8): the relay replies are
// handed to, how the connection is protected (implicit TLS by default; strict STARTTLS
// only when configured; plaintext only to a loopback relay — madoguchi-security(7)),
// the credentials file for AUTH, and the deadlines.

extension ConfigKey<String> {
    /// `smtp_relay`: `host:port` of the relay; empty means send-replies has nowhere to send.
    public static let smtpRelay = string(
        "smtp_relay", default: "",
        "host:port (or [IPv6]:port) of the SMTP relay replies are sent through; empty means replies stay queued.")

    /// `smtp_tls`: implicit, starttls or none.
    public static let smtpTLS = choice(
        "smtp_tls", ["implicit", "starttls", "none"], default: "implicit",
        "implicit (TLS from the first byte, port 465), starttls (strict: refused when not offered) or none (loopback relays only)."
    )

    /// `smtp_credentials_file`: a file of two lines, login and password; empty means no AUTH.
    public static let smtpCredentialsFile = path(
        "smtp_credentials_file", default: "",
        "File with the relay login on its first line and the password on its second, readable only by its owner; empty means no AUTH."
    )

    /// `smtp_ca_file`: PEM certificates the relay's certificate must chain to; empty means the system's.
    public static let smtpCAFile = path(
        "smtp_ca_file", default: "",
        "PEM CA certificates for the relay's certificate; empty means the system's CA store.")

    /// `smtp_helo_name`: the name given in EHLO; empty means the host name.
    public static let smtpHeloName = string(
        "smtp_helo_name", default: "",
        "The name send-replies gives in EHLO; empty means the host name.")
}

extension ConfigKey<Double> {
    /// `smtp_timeout`, in seconds.
    public static let smtpTimeout = duration(
        "smtp_timeout", default: "60s",
        "Longest wait for the relay's answer to one command, and for connecting (clamped to 1s to 10m).")
}
