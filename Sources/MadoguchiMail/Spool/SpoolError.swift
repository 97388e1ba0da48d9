// SpoolError: a spool file that does not open with the spool private key, is not a
// spool record, is not a regular file or is too large; scan-and-file moves it to hold/
// and exits 65 (madoguchi-security(7) SPOOL, S1).

import MadoguchiCore

/// Why a spool file could not be used.
public enum SpoolError: MadoguchiError, Equatable {
    /// The sealed file did not open or its contents are not a spool record.
    case unreadable(name: String)
    /// The name in `incoming/` is not a regular file; `kind` says what it is (`FIFO`,
    /// `symbolic link`, `directory`, …). Nothing was read from it (madoguchi-security(7) S1).
    case notRegularFile(name: String, kind: String)
    /// The file is larger than the largest sealed message (`limit` bytes); it was not read.
    case tooLarge(name: String, size: Int, limit: Int)

    public var description: String {
        switch self {
        case .unreadable(let name): "spool file \(Log.escape(name)) cannot be opened (wrong key or damaged)"
        case .notRegularFile(let name, let kind): "spool file \(Log.escape(name)) is a \(kind), not a regular file"
        case .tooLarge(let name, let size, let limit):
            "spool file \(Log.escape(name)) is larger than any sealed message (\(size) bytes, limit \(limit))"
        }
    }

    public var exitCode: SysExit { .dataError }
}
