// `madoguchi init`: the fixed layout, key modes, a working database and keys, a
// certificate OpenSSL accepts, and refusal to overwrite.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct InstanceInitializerTests {
    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("init creates the documented layout with private keys and a usable database", .blocksThreads)
    func creates() throws {
        let dir = try TemporaryDirectory()
        let layout = InstanceLayout(root: dir.file("instance"), workingDirectory: "/")
        try InstanceInitializer.create(layout)

        for key in ["master.key", "spool.key"] { #expect(try mode(layout.keyDirectory + "/" + key) == 0o600) }
        #expect(try mode(layout.keyDirectory) == 0o700)
        #expect(try mode(layout.certificateKeyFile) == 0o600)
        #expect(try mode(layout.databaseFile) == 0o600)
        for sub in ["tmp", "incoming"] {
            #expect(FileManager.default.fileExists(atPath: layout.spoolDirectory + "/" + sub))
        }

        let config = try Configuration.load(path: layout.configurationFile)
        #expect(config[.databaseFile] == layout.databaseFile)
        #expect(config[.keyDirectory] == layout.keyDirectory)
        #expect(config[.lockDirectory] == layout.lockDirectory)

        let master = try MasterKey.load(path: layout.keyDirectory + "/master.key")
        let probe = try Connection(path: layout.databaseFile)
        let rows = try probe.rows("SELECT id, wrapped FROM data_keys WHERE status = 'active'")
        let row = try #require(rows.first)
        let ring = try KeyRing(
            wrappedKeys: [UInt32(try #require(row.int64("id"))): try #require(row.blob("wrapped"))], currentKeyID: 1,
            master: master)
        let database = try Database.open(path: layout.databaseFile, cipher: ring.fieldCipher)
        #expect(try database.connection.schemaVersion() >= 1)
        #expect(throws: CryptoError.self) {
            _ = try KeyRing(
                wrappedKeys: [1: try #require(row.blob("wrapped"))], currentKeyID: 1, master: try MasterKey.generate())
        }

        let spoolKeys = try SpoolKeyPair.load(privateKeyPath: layout.keyDirectory + "/spool.key")
        let publicKey = try SpoolPublicKey.load(path: layout.keyDirectory + "/spool.pub")
        #expect(publicKey == spoolKeys.publicKey)

        let openssl = try ChildProcess.run(
            "/usr/bin/openssl", ["x509", "-in", layout.certificateFile, "-noout", "-text"], errors: .separate)
        let text = openssl.output
        #expect(openssl.status == 0 && !openssl.killed, "\(openssl.errors)")
        #expect(text.contains("prime256v1") || text.contains("P-256"))
        #expect(text.contains("IP Address:127.0.0.1"))
    }

    @Test("init refuses to overwrite an existing instance")
    func refuses() throws {
        let dir = try TemporaryDirectory()
        let layout = InstanceLayout(root: dir.path, workingDirectory: "/")
        try InstanceInitializer.create(layout)
        let before = try DurableFile.read(layout.keyDirectory + "/master.key")
        #expect(throws: InstanceError.self) { try InstanceInitializer.create(layout) }
        #expect(try DurableFile.read(layout.keyDirectory + "/master.key") == before)
    }
}

@Suite struct InstanceDatabaseTests {
    @Test("a program opens an initialised instance from its configuration alone")
    func opens() throws {
        let dir = try TemporaryDirectory()
        let layout = InstanceLayout(root: dir.file("instance"), workingDirectory: "/")
        try InstanceInitializer.create(layout)
        let configuration = try Configuration.load(path: layout.configurationFile)
        let instance = try InstanceDatabase.open(configuration: configuration)
        #expect(instance.keys.currentKeyID == 1)
        let filed = try instance.database.fileSample()
        let reopened = try InstanceDatabase.open(configuration: configuration)
        let subject = try reopened.database.read { tx in
            try tx.fetch("messages", id: filed.messageID, columns: ["subject_enc"])?.string("subject_enc")
        }
        #expect(subject == SampleMail().subject)
    }

    @Test("another master key cannot open the instance")
    func wrongMaster() throws {
        let dir = try TemporaryDirectory()
        let layout = InstanceLayout(root: dir.file("instance"), workingDirectory: "/")
        try InstanceInitializer.create(layout)
        try MasterKey.generate().write(to: layout.keyDirectory + "/" + MasterKey.fileName, replace: true)
        let configuration = try Configuration.load(path: layout.configurationFile)
        #expect(throws: (any Error).self) { try InstanceDatabase.open(configuration: configuration) }
    }
}
