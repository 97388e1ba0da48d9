// MailboxConfigError: problems with the fetcher's own files (accounts, state).

import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail

/// A problem with the mailbox accounts file or a fetch state file.
public enum MailboxConfigError: MadoguchiError, Equatable {
    /// A state file is not in the expected format.
    case damagedState(path: String)
    /// The accounts file has a bad line.
    case badAccountsFile(path: String, line: Int, reason: String)
    /// The accounts file is readable by others.
    case insecureAccountsFile(path: String)
    /// The accounts file belongs to another user.
    case accountsFileOwner(path: String)
    /// No mailbox with that name.
    case unknownMailbox(String)
    /// A mailbox with that name exists.
    case duplicateMailbox(String)
    /// A bad mailbox setting given on the command line.
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .damagedState(let path): "fetch state file \(path) is damaged; move it aside to re-fetch"
        case .badAccountsFile(let path, let line, let reason): "\(path), line \(line): \(reason)"
        case .insecureAccountsFile(let path):
            "\(path) is readable or writable by group or others; it holds passwords (chmod 600)"
        case .accountsFileOwner(let path):
            "\(path) is not owned by the user running this program; it holds passwords (chown it)"
        case .unknownMailbox(let name): "no mailbox named \(Log.escape(name))"
        case .duplicateMailbox(let name): "a mailbox named \(Log.escape(name)) exists"
        case .invalidSetting(let reason): reason
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .damagedState: .dataError
        case .badAccountsFile, .insecureAccountsFile, .accountsFileOwner: .config
        case .unknownMailbox, .duplicateMailbox, .invalidSetting: .usage
        }
    }
}
