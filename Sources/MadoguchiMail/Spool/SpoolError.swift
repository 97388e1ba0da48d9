// SpoolError: a spool file that does not open with the spool private key or is not a
// spool record; scan-and-file moves it to hold/ and exits 65 (madoguchi-security(7) SPOOL).

import MadoguchiCore

/// Why a spool file could not be used.
public enum SpoolError: MadoguchiError, Equatable {
    /// The sealed file did not open or its contents are not a spool record.
    case unreadable(name: String)

    public var description: String {
        switch self {
        case .unreadable(let name): "spool file \(name) cannot be opened (wrong key or damaged)"
        }
    }

    public var exitCode: SysExit { .dataError }
}
