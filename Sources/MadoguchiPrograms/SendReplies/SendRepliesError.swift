// SendRepliesError: what in the configuration keeps send-replies from reaching the
// relay. All permanent (exit 78): an administrator has to act.

import MadoguchiCore

/// A send-replies configuration problem.
public enum SendRepliesError: MadoguchiError, Equatable {
    /// `smtp_relay` is empty while replies are due.
    case relayNotSet(waiting: Int)
    /// `smtp_relay` is not `host:port` or `[IPv6]:port`.
    case badRelay(String)
    /// The credentials file is not two lines, login and password.
    case badCredentials(path: String)

    public var exitCode: SysExit { .config }

    public var description: String {
        switch self {
        case .relayNotSet(let waiting):
            "smtp_relay is not set in madoguchi.conf: \(waiting) replies wait in the outbox"
        case .badRelay(let value): "smtp_relay \"\(Log.escape(value))\" is not host:port or [IPv6]:port"
        case .badCredentials(let path):
            "\(path) must hold the relay login on its first line and the password on its second"
        }
    }
}
