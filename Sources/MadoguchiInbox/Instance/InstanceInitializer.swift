// InstanceInitializer: `madoguchi init --dir DIR` — a complete self-contained
// instance: configuration, master key, spool key pair and fetch key (0600), spool,
// database with every migration, a wrapped data key and the `enqueue` mailbox, and a
// self-signed ECDSA P-256 certificate.
// SECURITY: keys are created 0600 for the invoking user; an existing instance is
// never overwritten.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiStore

/// Creates self-contained instances.
public enum InstanceInitializer {
    /// Creates an instance under `layout.root`.
    /// - Throws: `InstanceError.exists`, `SystemError`, `CryptoError`, `StoreError`.
    public static func create(_ layout: InstanceLayout, now: Date = Date()) throws {
        for path in [
            layout.configurationFile, layout.keyDirectory, layout.dataDirectory, layout.spoolDirectory,
            layout.tlsDirectory,
        ] where access(path, F_OK) == 0 {
            throw InstanceError.exists(path: path)
        }
        if mkdir(layout.root, 0o755) != 0 && errno != EEXIST { throw SystemError.current("mkdir \(layout.root)") }
        for directory in [layout.keyDirectory, layout.dataDirectory, layout.tlsDirectory, layout.lockDirectory] {
            guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
                throw SystemError.current("mkdir \(directory)")
            }
        }
        try Spool(directory: layout.spoolDirectory).create()

        let master = try MasterKey.generate()
        try master.write(to: layout.keyDirectory + "/" + MasterKey.fileName)
        let spoolKeys = try SpoolKeyPair.generate()
        try spoolKeys.writePrivateKey(to: layout.keyDirectory + "/" + SpoolKeyPair.fileName)
        try spoolKeys.publicKey.write(to: layout.keyDirectory + "/" + SpoolPublicKey.fileName)
        try FetchIdentityKey.generate().write(to: layout.keyDirectory + "/" + FetchIdentityKey.fileName)

        let host = HostName.current().lowercased()
        let certificate = try SelfSignedCertificate.generate(
            commonName: "Madoguchi",
            dnsNames: host.isEmpty || host == "localhost" || host.contains("_") ? [] : [host],
            ipAddresses: ["::1"])
        try DurableFile.write(Array(certificate.certificatePEM.utf8), to: layout.certificateFile, mode: 0o644)
        try DurableFile.write(Array(certificate.privateKeyPEM.utf8), to: layout.certificateKeyFile, mode: 0o600)

        let wrapped = try KeyRing.newDataKey(id: 1, master: master)
        let ring = try KeyRing(wrappedKeys: [1: wrapped], currentKeyID: 1, master: master)
        let database = try Database.open(path: layout.databaseFile, cipher: ring.fieldCipher)
        let seconds = Int64(now.timeIntervalSince1970)
        try database.write { tx in
            _ = try tx.run(
                "INSERT INTO data_keys (id, purpose, wrapped, created_at, status) VALUES (?, ?, ?, ?, 'active')",
                [.integer(1), .text("data"), .blob(wrapped), .integer(seconds)])
            // `madoguchi enqueue` files here without --mailbox.
            try Mailboxes.create(Mailboxes.enqueue, in: tx, now: seconds)
        }

        // The configuration file comes last: its presence marks a complete instance.
        let stamp = ISO8601DateFormatter().string(from: now)
        try DurableFile.write(
            Array(layout.configurationText(createdAt: stamp).utf8), to: layout.configurationFile, mode: 0o640)
    }
}
