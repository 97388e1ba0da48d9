// PasswordError: why a password could not be hashed or a stored record not used.
// Messages never contain the password.

import MadoguchiCore

/// A password or password record was refused.
public enum PasswordError: MadoguchiError, Equatable {
    /// More than `PasswordHasher.maximumLength` characters; refused before hashing.
    case tooLong
    /// A stored record is not in the `$scrypt1$…` format or has out-of-range parameters.
    case malformedRecord
    /// The record names a pepper version (master key id) the key file no longer holds.
    case unknownPepperVersion(UInt32)

    public var description: String {
        switch self {
        case .tooLong: "password longer than \(PasswordHasher.maximumLength) characters"
        case .malformedRecord: "malformed password record"
        case .unknownPepperVersion(let version): "password record uses pepper version \(version), not in the key file"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .tooLong, .malformedRecord: .dataError
        case .unknownPepperVersion: .config
        }
    }
}
