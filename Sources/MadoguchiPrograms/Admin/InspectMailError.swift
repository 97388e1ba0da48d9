// InspectMailError: why `madoguchi inspect-mail` could not read one file (the
// command reports it for that file, continues, and exits 65 at the end).

import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// Why inspect-mail could not read a file.
public enum InspectMailError: MadoguchiError, Equatable {
    /// The path is a directory, device or other non-regular file.
    case notRegularFile

    public var description: String {
        switch self {
        case .notRegularFile: "not a regular file"
        }
    }

    public var exitCode: SysExit { .dataError }
}
