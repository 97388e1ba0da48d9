// IPAllowListError: an `ip_allow` entry that is not a CIDR block; the message names
// the entry so the administrator can find it in madoguchi.conf.

import MadoguchiCore

/// A bad entry in an allow-list.
public enum IPAllowListError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entry as written and why it is refused.
    case badEntry(String, String)

    public var description: String {
        switch self {
        case .badEntry(let entry, let reason): "ip_allow entry \"\(Log.escape(entry))\": \(reason)"
        }
    }
}
