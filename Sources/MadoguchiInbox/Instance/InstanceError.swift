// InstanceError: why `madoguchi init` could not create an instance.

import MadoguchiCore

/// Why an instance could not be created.
public enum InstanceError: MadoguchiError, Equatable {
    /// The directory already holds (part of) an instance.
    case exists(path: String)
    /// The database holds no active data key (not made by `madoguchi init` or the installer).
    case noDataKey(path: String)

    public var description: String {
        switch self {
        case .exists(let path): "\(path) already holds a Madoguchi instance; refusing to overwrite it"
        case .noDataKey(let path): "\(path) holds no active data key; was it created by madoguchi init?"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .exists: .cantCreate
        case .noDataKey: .config
        }
    }
}
