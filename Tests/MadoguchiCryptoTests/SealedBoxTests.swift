// Spool sealed boxes and key files: round trips (empty to 25 MB), tampering at every
// byte, truncation at every length and the wrong private key all fail generically.

import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiTestSupport
import Testing

@Suite struct SealedBoxTests {
    let pair: SpoolKeyPair

    init() throws {
        pair = try SpoolKeyPair.generate()
    }

    @Test("messages round-trip, including the empty message", arguments: [0, 1, 15, 16, 17, 4096])
    func roundTrip(length: Int) throws {
        let message = try SecureRandom.bytes(length)
        let box = try SealedBox.seal(message, to: pair.publicKey)
        #expect(box.count == length + SealedBox.overhead)
        #expect(box[0] == SealedBox.version)
        #expect(try SealedBox.open(box, with: pair) == message)
        // A fresh ephemeral key every time.
        #expect(try SealedBox.seal(message, to: pair.publicKey) != box)
    }

    @Test("a 25 MB message round-trips in one pass", .timeLimit(.minutes(1)), .blocksThreads)
    func large() throws {
        var message = [UInt8](repeating: 0, count: 25 * 1024 * 1024 + 1)
        for index in stride(from: 0, to: message.count, by: 4093) { message[index] = UInt8(truncatingIfNeeded: index) }
        var box: [UInt8] = []  // times are this thread's CPU time: other load does not count
        let sealTime = try ThreadCPUTime.measure { box = try SealedBox.seal(message, to: pair.publicKey) }
        var opened: [UInt8] = []
        let openTime = try ThreadCPUTime.measure { opened = try SealedBox.open(box, with: pair) }
        #expect(opened == message)
        // Linear work: a quadratic copy would take far longer than this even in debug builds.
        #expect(sealTime < .seconds(5) && openTime < .seconds(5))
    }

    @Test("every bit flip of a sealed box fails generically")
    func bitFlips() throws {
        let box = try SealedBox.seal(Array("Subject: 請求書\r\n\r\nbody".utf8), to: pair.publicKey)
        for index in box.indices {
            for bit in [0, 3, 7] {
                var bad = box
                bad[index] ^= UInt8(1 << bit)
                #expect(throws: CryptoError.authenticationFailed) { try SealedBox.open(bad, with: pair) }
            }
        }
    }

    @Test("every truncation of a sealed box fails generically")
    func truncation() throws {
        let box = try SealedBox.seal(Array("a short spool message".utf8), to: pair.publicKey)
        for length in 0..<box.count {
            #expect(throws: CryptoError.authenticationFailed) {
                try SealedBox.open(Array(box.prefix(length)), with: pair)
            }
        }
    }

    @Test("the wrong private key fails generically")
    func wrongKey() throws {
        let box = try SealedBox.seal(Array("for the right key only".utf8), to: pair.publicKey)
        #expect(throws: CryptoError.authenticationFailed) { try SealedBox.open(box, with: try SpoolKeyPair.generate()) }
    }

    @Test("a box sealed for one purpose label does not open under another")
    func labels() throws {
        let box = try SealedBox.seal(Array("backup data key".utf8), to: pair.publicKey, label: "madoguchi-backup-v1")
        #expect(try SealedBox.open(box, with: pair, label: "madoguchi-backup-v1") == Array("backup data key".utf8))
        #expect(throws: CryptoError.authenticationFailed) { try SealedBox.open(box, with: pair) }
        let spool = try SealedBox.seal(Array("mail".utf8), to: pair.publicKey)
        #expect(throws: CryptoError.authenticationFailed) {
            try SealedBox.open(spool, with: pair, label: "madoguchi-backup-v1")
        }
    }

    @Test("a low-order (all-zero) ephemeral or recipient key is refused")
    func lowOrder() throws {
        var box = try SealedBox.seal(Array("x".utf8), to: pair.publicKey)
        box.replaceSubrange(1..<33, with: [UInt8](repeating: 0, count: 32))
        #expect(throws: CryptoError.authenticationFailed) { try SealedBox.open(box, with: pair) }
        let zero = try SpoolPublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32))
        #expect(throws: CryptoError.malformed("spool public key")) { try SealedBox.seal([1], to: zero) }
    }

    @Test("key files round-trip; the private one is 0600 and refused when readable by others")
    func keyFiles() throws {
        let dir = try TemporaryDirectory()
        try pair.publicKey.write(to: dir.file("spool.pub"))
        try pair.writePrivateKey(to: dir.file("spool.key"))
        var info = stat()
        #expect(stat(dir.file("spool.key"), &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(dir.file("spool.pub"), &info) == 0 && info.st_mode & 0o777 == 0o644)
        let publicKey = try SpoolPublicKey.load(path: dir.file("spool.pub"))
        let loaded = try SpoolKeyPair.load(privateKeyPath: dir.file("spool.key"))
        #expect(publicKey == pair.publicKey && loaded.publicKey == pair.publicKey)
        let box = try SealedBox.seal(Array("fetched".utf8), to: publicKey)
        #expect(try SealedBox.open(box, with: loaded) == Array("fetched".utf8))
        #expect(chmod(dir.file("spool.key"), 0o644) == 0)
        #expect(throws: KeyFileError.insecurePermissions(path: dir.file("spool.key"), mode: 0o644)) {
            try SpoolKeyPair.load(privateKeyPath: dir.file("spool.key"))
        }
        // The public key file is not a private key file.
        #expect(chmod(dir.file("spool.pub"), 0o600) == 0)
        #expect(throws: KeyFileError.malformed(path: dir.file("spool.pub"), line: 2)) {
            try SpoolKeyPair.load(privateKeyPath: dir.file("spool.pub"))
        }
    }
}

@Suite struct Ed25519Tests {
    @Test(
        "signatures match RFC 8032 tests 1 and 2",
        arguments: [
            (
                "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f05"
                    + "95bbe24655141438e7a100b"
            ),
            (
                "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb"
                    + "4302aeeb00d291612bb0c00"
            ),
        ])
    func knownAnswer(seed: String, publicKey: String, message: String, signature: String) throws {
        let key = try Ed25519PrivateKey(seed: SecretKey(try #require(Hex.decode(seed))))
        let message = try #require(Hex.decode(message))
        #expect(Hex.encode(key.publicKey.rawRepresentation) == publicKey)
        let signed = try key.signature(for: message)
        #expect(Hex.encode(signed) == signature)
        #expect(key.publicKey.isValidSignature(signed, for: message))
    }

    @Test("a changed message, signature or key does not verify")
    func rejects() throws {
        let key = try Ed25519PrivateKey.generate()
        let message = Array("checkpoint seq=42 head=abcd".utf8)
        let signature = try key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
        var bad = signature
        bad[10] ^= 1
        #expect(!key.publicKey.isValidSignature(bad, for: message))
        #expect(!key.publicKey.isValidSignature(Array(signature.prefix(63)), for: message))
        #expect(!(try Ed25519PrivateKey.generate()).publicKey.isValidSignature(signature, for: message))
        let reloaded = try Ed25519PrivateKey(seed: SecretKey(key.seed.bytes))
        #expect(reloaded.publicKey == key.publicKey)
    }

    @Test("signing and verification keys round-trip through their files")
    func keyFiles() throws {
        let dir = try TemporaryDirectory()
        let key = try Ed25519PrivateKey.generate()
        try key.write(to: dir.file("audit.key"))
        try key.publicKey.write(to: dir.file("audit.pub"))
        let loaded = try Ed25519PrivateKey.load(path: dir.file("audit.key"))
        let verifier = try Ed25519PublicKey.load(path: dir.file("audit.pub"))
        #expect(verifier == key.publicKey && loaded.publicKey == key.publicKey)
        #expect(verifier.isValidSignature(try loaded.signature(for: [1, 2, 3]), for: [1, 2, 3]))
        #expect(chmod(dir.file("audit.key"), 0o640) == 0)
        #expect(try Ed25519PrivateKey.load(path: dir.file("audit.key")).publicKey == key.publicKey)
        #expect(chmod(dir.file("audit.key"), 0o660) == 0)
        #expect(throws: KeyFileError.insecurePermissions(path: dir.file("audit.key"), mode: 0o660)) {
            try Ed25519PrivateKey.load(path: dir.file("audit.key"))
        }
    }

    @Test("a key file with two keys names the second key's line")
    func twoKeys() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("audit.pub")
        let line = "madoguchi-audit-verify-key v1 " + String(repeating: "A", count: 43) + "=\n"
        try DurableFile.write(Array(("# comment\n" + line + "\n" + line).utf8), to: path, mode: 0o644)
        #expect(throws: KeyFileError.malformed(path: path, line: 4)) { try Ed25519PublicKey.load(path: path) }
    }
}
