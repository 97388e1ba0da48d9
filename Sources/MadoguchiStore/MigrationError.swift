// MigrationError: why a database's schema cannot be brought to this program's
// version. A database newer than the program is refused rather than guessed at.

import MadoguchiCore

/// A schema-version problem found while migrating.
public enum MigrationError: MadoguchiError, Equatable {
    /// The database has migrations this program does not know (it was upgraded by a newer release).
    case databaseNewer(databaseVersion: Int, programVersion: Int)
    /// A recorded migration has a different name from this program's migration of that number.
    case nameMismatch(version: Int, recorded: String, expected: String)
    /// The program's migration list is not numbered 1, 2, 3 … (a bug).
    case invalidList(String)

    public var description: String {
        switch self {
        case .databaseNewer(let database, let program):
            "database schema version \(database) is newer than this program's \(program); install the newer release"
        case .nameMismatch(let version, let recorded, let expected):
            "database migration \(version) is \"\(Log.escape(recorded))\", expected \"\(expected)\""
        case .invalidList(let reason):
            "invalid migration list: \(reason)"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .databaseNewer, .nameMismatch: .config
        case .invalidList: .software
        }
    }
}
