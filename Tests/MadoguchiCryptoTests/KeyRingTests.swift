// Master key file, wrapped data keys, the key ring and field-blob tampering:
// every tampering, truncation, swap or wrong key must fail with the same generic error.

import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiTestSupport
import Testing

/// Compares keys without ever printing their bytes in a failure message.
private func sameKey(_ a: SecretKey, _ b: SecretKey) -> Bool {
    ConstantTime.equals(a.bytes, b.bytes)
}

@Suite struct KeyRingTests {
    private func permissions(_ path: String) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0o7777 }
        return info.st_mode & 0o7777
    }

    @Test("the master key file round-trips and is written 0600")
    func masterKeyFile() throws {
        let dir = try TemporaryDirectory()
        let master = try MasterKey.generate().addingKey()
        #expect(master.ids == [1, 2])
        #expect(master.currentID == 2)
        try master.write(to: dir.file("master.key"))
        #expect(permissions(dir.file("master.key")) == 0o600)
        let loaded = try MasterKey.load(path: dir.file("master.key"))
        #expect(loaded.ids == [1, 2] && loaded.currentID == 2)
        // Same keys: a key wrapped with one unwraps with the other.
        let data = try SecretKey.random()
        let blob = try WrappedKey.wrap(data, id: 9, with: master)
        #expect(sameKey(try WrappedKey.unwrap(blob, id: 9, with: loaded), data))
        // No silent overwrite.
        #expect(throws: SystemError.self) { try master.write(to: dir.file("master.key")) }
    }

    @Test(
        "a key file others can read or anyone else can write is refused",
        arguments: [0o644, 0o604, 0o620, 0o602, 0o666])
    func insecureModes(mode: Int) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("master.key")
        try MasterKey.generate().write(to: path)
        #expect(chmod(path, mode_t(mode)) == 0)
        #expect(throws: KeyFileError.insecurePermissions(path: path, mode: UInt32(mode))) {
            try MasterKey.load(path: path)
        }
    }

    @Test("modes 0600 and 0400 are accepted, and 0640 when root owns the file", arguments: [0o600, 0o640, 0o400])
    func secureModes(mode: Int) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("master.key")
        try MasterKey.generate(id: 3).write(to: path)
        #expect(chmod(path, mode_t(mode)) == 0)
        if mode & 0o040 != 0 && geteuid() != 0 {
            #expect(throws: KeyFileError.insecurePermissions(path: path, mode: UInt32(mode))) {
                try MasterKey.load(path: path)
            }
        } else {
            #expect(try MasterKey.load(path: path).currentID == 3)
        }
    }

    @Test(
        "malformed key files are refused with the line number",
        arguments: [
            ("madoguchi-master-key v2 id=1 AAAA\n", 1),
            ("# comment\n\nmadoguchi-master-key v1 id=0 " + String(repeating: "A", count: 44) + "\n", 3),
            ("madoguchi-master-key v1 id=1 c2hvcnQ=\n", 1),
            ("madoguchi-spool-public-key v1 id=1 " + String(repeating: "A", count: 43) + "=\n", 1),
            (
                "madoguchi-master-key v1 id=1 " + String(repeating: "A", count: 43) + "=\n"
                    + "madoguchi-master-key v1 id=1 " + String(repeating: "B", count: 43) + "=\n", 2
            ),
        ])
    func malformedKeyFile(text: String, line: Int) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("master.key")
        try DurableFile.write(Array(text.utf8), to: path, mode: 0o600)
        #expect(throws: KeyFileError.malformed(path: path, line: line)) { try MasterKey.load(path: path) }
    }

    @Test("a directory, a FIFO or a missing path is not a key file")
    func notAFile() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: KeyFileError.notRegularFile(path: dir.path)) { try MasterKey.load(path: dir.path) }
        #expect(mkfifo(dir.file("fifo"), 0o600) == 0)
        #expect(throws: KeyFileError.notRegularFile(path: dir.file("fifo"))) {
            try MasterKey.load(path: dir.file("fifo"))
        }
        #expect(throws: SystemError(code: ENOENT, context: "open \(dir.file("missing"))")) {
            try MasterKey.load(path: dir.file("missing"))
        }
    }

    @Test("an empty key file is refused")
    func emptyKeyFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("master.key")
        try DurableFile.write(Array("# nothing here\n".utf8), to: path, mode: 0o600)
        #expect(throws: KeyFileError.empty(path: path)) { try MasterKey.load(path: path) }
    }

    @Test("a wrapped key survives only with the same master key, id and purpose")
    func wrappedKeyBinding() throws {
        let master = try MasterKey.generate()
        let data = try SecretKey.random()
        let blob = try WrappedKey.wrap(data, id: 1, with: master)
        #expect(blob.count == WrappedKey.wrappedLength)
        #expect(WrappedKey.masterKeyID(of: blob) == 1)
        #expect(sameKey(try WrappedKey.unwrap(blob, id: 1, with: master), data))
        #expect(throws: CryptoError.authenticationFailed) { try WrappedKey.unwrap(blob, id: 2, with: master) }
        #expect(throws: CryptoError.authenticationFailed) {
            try WrappedKey.unwrap(blob, id: 1, purpose: "backup", with: master)
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try WrappedKey.unwrap(blob, id: 1, with: try MasterKey.generate())
        }
        // A ring that lacks the wrapping id.
        #expect(throws: CryptoError.authenticationFailed) {
            try WrappedKey.unwrap(blob, id: 1, with: try MasterKey.generate(id: 5))
        }
    }

    @Test("every bit flip and every truncation of a wrapped key fails generically")
    func wrappedKeyTampering() throws {
        let master = try MasterKey.generate()
        let blob = try WrappedKey.wrap(try SecretKey.random(), id: 1, with: master)
        for index in blob.indices {
            for bit in [0, 7] {
                var bad = blob
                bad[index] ^= UInt8(1 << bit)
                #expect(throws: CryptoError.authenticationFailed) { try WrappedKey.unwrap(bad, id: 1, with: master) }
            }
        }
        for length in 0..<blob.count {
            #expect(throws: CryptoError.authenticationFailed) {
                try WrappedKey.unwrap(Array(blob.prefix(length)), id: 1, with: master)
            }
        }
    }

    @Test("wrapped keys survive a master key rotation until re-wrapped")
    func masterRotation() throws {
        let old = try MasterKey.generate()
        let blob = try KeyRing.newDataKey(id: 1, master: old)
        let rotated = try old.addingKey()
        let ring = try KeyRing(wrappedKeys: [1: blob], currentKeyID: 1, master: rotated)
        let rewrapped = try WrappedKey.wrap(try WrappedKey.unwrap(blob, id: 1, with: rotated), id: 1, with: rotated)
        #expect(WrappedKey.masterKeyID(of: rewrapped) == 2)
        let again = try KeyRing(wrappedKeys: [1: rewrapped], currentKeyID: 1, master: rotated)
        let context = FieldContext(table: "t", column: "c", row: 1)
        #expect(
            try again.fieldCipher.open(try ring.fieldCipher.seal([1, 2, 3], for: context), for: context) == [1, 2, 3])
    }

    @Test("values written under an older data key still open after the current key changes")
    func dataKeyRotation() throws {
        let master = try MasterKey.generate()
        var wrapped: [UInt32: [UInt8]] = [1: try KeyRing.newDataKey(id: 1, master: master)]
        let before = try KeyRing(wrappedKeys: wrapped, currentKeyID: 1, master: master)
        let context = FieldContext(table: "messages", column: "subject", row: 7)
        let old = try before.fieldCipher.seal("旧い件名", for: context)
        wrapped[2] = try KeyRing.newDataKey(id: 2, master: master)
        let after = try KeyRing(wrappedKeys: wrapped, currentKeyID: 2, master: master)
        #expect(try after.fieldCipher.openString(old, for: context) == "旧い件名")
        let new = try after.fieldCipher.seal("新しい件名", for: context)
        #expect(FieldCipher.keyID(of: new) == 2)
        #expect(throws: CryptoError.authenticationFailed) { try before.fieldCipher.open(new, for: context) }
        // Search keys are per version, so an index must be rebuilt on rotation.
        #expect(
            try after.searchTokenizer(mailbox: "1", field: "body", keyID: 1).token("件名")
                == before.searchTokenizer(mailbox: "1", field: "body").token("件名"))
        #expect(
            try after.searchTokenizer(mailbox: "1", field: "body").token("件名")
                != before.searchTokenizer(mailbox: "1", field: "body").token("件名"))
    }

    @Test("a key ring opens with its master key and fails generically with another")
    func keyRingMaster() throws {
        let master = try MasterKey.generate()
        let wrapped: [UInt32: [UInt8]] = [
            1: try KeyRing.newDataKey(id: 1, master: master), 2: try KeyRing.newDataKey(id: 2, master: master),
        ]
        let ring = try KeyRing(wrappedKeys: wrapped, currentKeyID: 2, master: master)
        #expect(ring.keyIDs == [1, 2])
        #expect(ring.fieldCipher.currentKeyID == 2)
        #expect(throws: CryptoError.authenticationFailed) {
            try KeyRing(wrappedKeys: wrapped, currentKeyID: 2, master: try MasterKey.generate())
        }
        #expect(throws: CryptoError.unknownKey) { try KeyRing(wrappedKeys: wrapped, currentKeyID: 3, master: master) }
        // The same stored keys give the same sub-keys after a reload.
        let reloaded = try KeyRing(wrappedKeys: wrapped, currentKeyID: 2, master: master)
        #expect(sameKey(try ring.key(for: .audit), try reloaded.key(for: .audit)))
        #expect(try ring.blindIndex("a@example.com") == reloaded.blindIndex("a@example.com"))
    }

    @Test("sub-keys differ per purpose, mailbox, field and key version")
    func subKeysDiffer() throws {
        let master = try MasterKey.generate()
        let ring = try KeyRing(
            wrappedKeys: [
                1: try KeyRing.newDataKey(id: 1, master: master), 2: try KeyRing.newDataKey(id: 2, master: master),
            ], currentKeyID: 2, master: master)
        let purposes: [KeyPurpose] = [
            .fieldEncryption, .customerAddressIndex, .audit, .csrf, .searchIndex(mailbox: "1", field: "body"),
            .searchIndex(mailbox: "2", field: "body"), .searchIndex(mailbox: "1", field: "subject"),
        ]
        var seen = Set<[UInt8]>()
        for purpose in purposes {
            for version: UInt32 in [1, 2] {
                let key = try ring.key(for: purpose, keyID: version)
                #expect(key.count == 32)
                seen.insert(key.bytes)
            }
        }
        #expect(seen.count == purposes.count * 2)
        let peppers = try [1, 2].map { try KeyHierarchy.pepper(from: master.addingKey(), id: $0).bytes }
        #expect(peppers[0] != peppers[1] && !seen.contains(peppers[0]))
        #expect(throws: CryptoError.malformed("search key label")) {
            try ring.key(for: .searchIndex(mailbox: "a|b", field: "body"))
        }
        #expect(throws: CryptoError.unknownKey) { try ring.key(for: .audit, keyID: 7) }
    }

    @Test("the blind index is a full 32-byte HMAC of the address")
    func blindIndex() throws {
        let master = try MasterKey.generate()
        let ring = try KeyRing(
            wrappedKeys: [1: try KeyRing.newDataKey(id: 1, master: master)], currentKeyID: 1, master: master)
        let index = try ring.blindIndex("yamada@example.co.jp")
        #expect(index.count == 32)
        #expect(index == (try HMAC.sha256(key: ring.key(for: .customerAddressIndex), text: "yamada@example.co.jp")))
        #expect(index != (try ring.blindIndex("tanaka@example.co.jp")))
    }
}

@Suite struct FieldTamperingTests {
    let ring: KeyRing
    let here = FieldContext(table: "customers", column: "address", row: 41)

    init() throws {
        let master = try MasterKey.generate()
        ring = try KeyRing(
            wrappedKeys: [
                1: try KeyRing.newDataKey(id: 1, master: master), 2: try KeyRing.newDataKey(id: 2, master: master),
            ], currentKeyID: 2, master: master)
    }

    @Test("every bit flip at every byte position of a field blob fails generically")
    func bitFlips() throws {
        let blob = try ring.fieldCipher.seal("yamada@example.co.jp", for: here)
        for index in blob.indices {
            for bit in 0..<8 {
                var bad = blob
                bad[index] ^= UInt8(1 << bit)
                #expect(throws: CryptoError.authenticationFailed) { try ring.fieldCipher.open(bad, for: here) }
            }
        }
    }

    @Test("every truncation of a field blob fails generically")
    func truncation() throws {
        let blob = try ring.fieldCipher.seal("yamada@example.co.jp", for: here)
        for length in 0..<blob.count {
            #expect(throws: CryptoError.authenticationFailed) {
                try ring.fieldCipher.open(Array(blob.prefix(length)), for: here)
            }
        }
    }

    @Test("a blob swapped into another row, column or table fails generically")
    func swapped() throws {
        let mine = try ring.fieldCipher.seal("yamada@example.co.jp", for: here)
        let theirs = try ring.fieldCipher.seal(
            "tanaka@example.co.jp", for: FieldContext(table: "customers", column: "address", row: 42))
        #expect(throws: CryptoError.authenticationFailed) {
            try ring.fieldCipher.open(theirs, for: here)
        }
        for other in [
            FieldContext(table: "customers", column: "name", row: 41),
            FieldContext(table: "users", column: "address", row: 41),
        ] {
            #expect(throws: CryptoError.authenticationFailed) { try ring.fieldCipher.open(mine, for: other) }
        }
    }

    @Test("a blob relabelled with another or an unknown key id fails generically")
    func wrongKeyID() throws {
        let blob = try ring.fieldCipher.seal("yamada@example.co.jp", for: here)
        #expect(FieldCipher.keyID(of: blob) == 2)
        for id: UInt32 in [1, 3, 0xFFFF_FFFF] {
            var bad = blob
            withUnsafeBytes(of: id.bigEndian) { bad.replaceSubrange(1..<5, with: $0) }
            #expect(throws: CryptoError.authenticationFailed) { try ring.fieldCipher.open(bad, for: here) }
        }
    }

    @Test("a ring from a wrong master key cannot be built, so nothing decrypts")
    func wrongMaster() throws {
        let master = try MasterKey.generate()
        let wrapped = try KeyRing.newDataKey(id: 1, master: master)
        let blob = try KeyRing(wrappedKeys: [1: wrapped], currentKeyID: 1, master: master).fieldCipher.seal(
            [7], for: here)
        #expect(throws: CryptoError.authenticationFailed) {
            try KeyRing(wrappedKeys: [1: wrapped], currentKeyID: 1, master: try MasterKey.generate()).fieldCipher.open(
                blob, for: here)
        }
        // An unrelated ring with the same key id also fails on the blob itself.
        let other = try MasterKey.generate()
        let stranger = try KeyRing(
            wrappedKeys: [1: try KeyRing.newDataKey(id: 1, master: other)], currentKeyID: 1, master: other)
        #expect(throws: CryptoError.authenticationFailed) { try stranger.fieldCipher.open(blob, for: here) }
    }
}
