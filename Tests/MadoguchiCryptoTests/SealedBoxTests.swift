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
