// InstanceDatabase: how every program that may read mail opens the store — the
// master key from key_directory unwraps the data keys kept in the database, and the
// resulting KeyRing seals and opens fields, search tokens and blind indexes.
// SECURITY: keys come only from key files and the wrapped-key table; the fetcher never
// calls this (it holds only the spool public key).

import MadoguchiCore
import MadoguchiCrypto
import MadoguchiStore

/// An open, migrated database together with its key ring.
public struct InstanceDatabase {
    /// The database, sealing with `keys.fieldCipher`.
    public let database: Database
    /// Field, search-token and blind-index keys.
    public let keys: KeyRing

    /// Opens `database_file` with the master key in `key_directory`.
    /// - Throws: `KeyFileError`/`CryptoError` (missing or wrong master key), `StoreError`,
    ///   `MigrationError`, `InstanceError.noDataKey`.
    public static func open(configuration: Configuration) throws -> InstanceDatabase {
        let path = configuration[.databaseFile]
        let master = try MasterKey.load(path: configuration[.keyDirectory] + "/" + MasterKey.fileName)
        let connection = try Connection(path: path, configuration: Connection.Configuration(configuration))
        try connection.migrate()
        return try open(connection: connection, master: master)
    }

    /// Builds the key ring from the wrapped data keys of an open, migrated connection.
    /// - Throws: `CryptoError` (a key the master key cannot unwrap), `StoreError`,
    ///   `InstanceError.noDataKey`.
    public static func open(connection: Connection, master: MasterKey) throws -> InstanceDatabase {
        let rows = try connection.read {
            try $0.rows("SELECT id, wrapped, status FROM data_keys WHERE purpose = 'data'")
        }
        var wrapped: [UInt32: [UInt8]] = [:]
        var current: UInt32?
        for row in rows {
            guard let id = row.int64("id").flatMap(UInt32.init(exactly:)), let blob = row.blob("wrapped") else {
                continue
            }
            wrapped[id] = blob
            if row.string("status") == "active" { current = id }
        }
        guard let current else { throw InstanceError.noDataKey(path: connection.path) }
        let keys = try KeyRing(wrappedKeys: wrapped, currentKeyID: current, master: master)
        return InstanceDatabase(database: Database(connection: connection, cipher: keys.fieldCipher), keys: keys)
    }
}
