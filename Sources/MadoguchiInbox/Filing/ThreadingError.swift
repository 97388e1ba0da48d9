// ThreadingError: why a threading token could not be made.

import MadoguchiCore

/// A bad argument for making a threading token.
public enum ThreadingError: MadoguchiError, Equatable {
    /// The domain given for an outgoing Message-ID is not a host name.
    case invalidHost(String)

    public var description: String {
        switch self {
        case .invalidHost(let host): "not a host name for a Message-ID: \(Log.escape(host))"
        }
    }

    public var exitCode: SysExit { .config }
}
