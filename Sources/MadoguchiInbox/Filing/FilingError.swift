// FilingError: why a clean message could not be filed as its spool file asks.

import MadoguchiCore

/// A message that cannot be filed as its envelope says.
public enum FilingError: MadoguchiError, Equatable {
    /// The envelope names a mailbox the database does not have.
    case unknownMailbox(String)

    public var description: String {
        switch self {
        case .unknownMailbox(let name):
            "mailbox \(Log.escape(name)) is not in the database (add it with madoguchi mailbox add)"
        }
    }

    public var exitCode: SysExit { .dataError }
}
