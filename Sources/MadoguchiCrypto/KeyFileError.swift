// KeyFileError: why a master key or spool key file was refused. Messages name the
// file and the problem (never key material) so an administrator can fix it.

import MadoguchiCore

/// A key file could not be used.
public enum KeyFileError: MadoguchiError, Equatable {
    /// The file is group/world-writable or world-readable; `mode` is its permission bits.
    case insecurePermissions(path: String, mode: UInt32)
    /// The path is not a regular file.
    case notRegularFile(path: String)
    /// A line is not in the expected format (`line` is 1-based).
    case malformed(path: String, line: Int)
    /// The file holds no key.
    case empty(path: String)

    public var description: String {
        switch self {
        case .insecurePermissions(let path, let mode):
            "key file \(path) has insecure permissions \(String(mode, radix: 8)) "
                + "(must not be group/world-writable or world-readable; use chmod 0600 or 0640)"
        case .notRegularFile(let path): "key file \(path) is not a regular file"
        case .malformed(let path, let line): "key file \(path): line \(line) is malformed"
        case .empty(let path): "key file \(path) holds no key"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .insecurePermissions: .noPermission
        case .notRegularFile, .malformed, .empty: .config
        }
    }
}
