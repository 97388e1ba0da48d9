// DovecotServer+Ports: which of the four listeners serves a protocol and TLS mode.

import MadoguchiMail

extension DovecotServer {
    /// The port for `mailProtocol` with `tls` (implicit TLS or the STARTTLS/plain listener).
    public func port(_ mailProtocol: MailProtocol, _ tls: TLSMode) -> UInt16 {
        switch (mailProtocol, tls) {
        case (.pop3, .implicit): pop3sPort
        case (.pop3, _): pop3Port
        case (.imap, .implicit): imapsPort
        case (.imap, _): imapPort
        }
    }
}
