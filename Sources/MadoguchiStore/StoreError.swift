// StoreError: a failed SQLite call with its result codes, message and SQL (never
// bound values, which may be customer data). SQLITE_BUSY/LOCKED are transient.

import CSQLite
import MadoguchiCore

/// A SQLite failure (model: GRDB's DatabaseError).
public struct StoreError: MadoguchiError, Equatable {
    /// The primary result code.
    public let code: Int32
    /// The extended result code.
    public let extendedCode: Int32
    /// SQLite's message.
    public let message: String
    /// The statement text, if any (never bound values).
    public let sql: String?

    /// Creates an error.
    public init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil) {
        self.code = code
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
    }

    public var description: String {
        var text = "database error \(code): \(message)"
        if let sql { text += " (in: \(Log.escape(String(sql.prefix(200)))))" }
        return text
    }

    public var exitCode: SysExit {
        switch code {
        case SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_FULL: .ioError
        case SQLITE_PERM, SQLITE_READONLY, SQLITE_AUTH: .noPermission
        case SQLITE_CORRUPT, SQLITE_NOTADB: .dataError
        default: .software
        }
    }

    public var isTransient: Bool {
        code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL
    }
}
