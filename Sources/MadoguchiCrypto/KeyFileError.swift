// KeyFileError: why a master key or spool key file was refused. Messages name the
// file and the problem (never key material) so an administrator can fix it.

import MadoguchiCore

/// A key file could not be used.
public enum KeyFileError: MadoguchiError, Equatable {
    /// A secret key file allows more than 0600 (or 0640 when owned by root); `mode` is
    /// its permission bits.
    case insecurePermissions(path: String, mode: UInt32)
    /// A public key file is writable by group or others; `mode` is its permission bits.
    case writablePublicKey(path: String, mode: UInt32)
    /// The file belongs to `owner`, neither root nor the user running the program.
    case wrongOwner(path: String, owner: UInt32)
    /// The path is a symbolic link (refused whatever it points to).
    case symbolicLink(path: String)
    /// The path is not a regular file.
    case notRegularFile(path: String)
    /// A line is not in the expected format (`line` is 1-based).
    case malformed(path: String, line: Int)
    /// The file holds no key.
    case empty(path: String)

    public var description: String {
        switch self {
        case .insecurePermissions(let path, let mode):
            "key file \(path) has insecure permissions \(Self.octal(mode)) (a secret key must be mode 0600, "
                + "or 0640 owned by root with group madoguchi; use chmod 0600)"
        case .writablePublicKey(let path, let mode):
            "public key file \(path) has mode \(Self.octal(mode)), writable by group or others "
                + "(use chmod 0644)"
        case .wrongOwner(let path, let owner):
            "key file \(path) belongs to uid \(owner), neither root nor the user running this program "
                + "(chown it to root or to that user)"
        case .symbolicLink(let path): "key file \(path) is a symbolic link (put the file itself there)"
        case .notRegularFile(let path): "key file \(path) is not a regular file"
        case .malformed(let path, let line): "key file \(path): line \(line) is malformed"
        case .empty(let path): "key file \(path) holds no key"
        }
    }

    /// Permission bits as chmod(1) takes them: `0640`, `4600`.
    private static func octal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    public var exitCode: SysExit {
        switch self {
        case .insecurePermissions, .writablePublicKey, .wrongOwner: .noPermission
        case .symbolicLink, .notRegularFile, .malformed, .empty: .config
        }
    }
}
