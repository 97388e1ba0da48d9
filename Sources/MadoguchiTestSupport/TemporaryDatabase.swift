// TemporaryDatabase: a fresh database file in a private temporary directory with a
// random field key, for store and domain tests. Removed with its directory.

import MadoguchiCrypto
import MadoguchiStore

/// A throw-away database location plus a random field cipher.
public final class TemporaryDatabase {
    /// The directory holding the database (and its -wal/-shm files).
    public let directory: TemporaryDirectory
    /// The database file path.
    public let path: String
    /// A cipher with one random key (id 1).
    public let cipher: FieldCipher
    /// Connection settings (a short busy timeout, so busy tests are quick).
    public let configuration: Connection.Configuration

    /// Creates the directory and cipher; the database file is created on first open.
    /// - Throws: if the directory or key cannot be created.
    public init(busyTimeoutMilliseconds: Int32 = 2_000) throws {
        directory = try TemporaryDirectory(prefix: "madoguchi-db")
        path = directory.file("madoguchi.db")
        cipher = try TemporaryDatabase.randomCipher()
        configuration = Connection.Configuration(busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    /// Opens and migrates the database with this object's cipher (or another one).
    /// - Throws: `StoreError`, `MigrationError`, `SystemError`.
    public func open(cipher other: FieldCipher? = nil) throws -> Database {
        try Database.open(path: path, cipher: other ?? cipher, configuration: configuration)
    }

    /// Opens a plain connection (not migrated).
    /// - Throws: `StoreError`, `SystemError`.
    public func connection(busyTimeoutMilliseconds: Int32? = nil) throws -> Connection {
        let settings = busyTimeoutMilliseconds.map { Connection.Configuration(busyTimeoutMilliseconds: $0) }
        return try Connection(path: path, configuration: settings ?? configuration)
    }

    /// A cipher with one fresh random key.
    /// - Throws: `CryptoError` if the random generator fails.
    public static func randomCipher(keyID: UInt32 = 1) throws -> FieldCipher {
        FieldCipher(keys: [keyID: try SecretKey.random()], currentKeyID: keyID)
    }
}
