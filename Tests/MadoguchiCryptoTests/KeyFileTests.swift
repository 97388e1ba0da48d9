// Key files a local user could have tampered with (madoguchi-security(7) KEYS, S2): a
// symbolic link, a file owned by another user, a secret key with more than 0600 (0640
// when root owns it), a public key others can write. Each is refused with the path and
// never the content. The owner cases chown to 65534 (nobody), so they need root (CI).

import Glibc
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@testable import MadoguchiCrypto

/// The key files the programs read, each written as `madoguchi init` writes it.
enum KeyFileKind: String, CaseIterable, Sendable {
    case masterKey, spoolPrivateKey, auditSigningKey, spoolPublicKey

    var isSecret: Bool { self != .spoolPublicKey }

    /// Writes the file (mode 0600, public 0644) in `directory` and returns its path.
    func write(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file(rawValue)
        switch self {
        case .masterKey: try MasterKey.generate().write(to: path)
        case .spoolPrivateKey: try SpoolKeyPair.generate().writePrivateKey(to: path)
        case .auditSigningKey: try Ed25519PrivateKey.generate().write(to: path)
        case .spoolPublicKey: try SpoolKeyPair.generate().publicKey.write(to: path)
        }
        return path
    }

    /// Loads the file the way the programs do.
    func load(_ path: String) throws {
        switch self {
        case .masterKey: _ = try MasterKey.load(path: path)
        case .spoolPrivateKey: _ = try SpoolKeyPair.load(privateKeyPath: path)
        case .auditSigningKey: _ = try Ed25519PrivateKey.load(path: path)
        case .spoolPublicKey: _ = try SpoolPublicKey.load(path: path)
        }
    }
}

@Suite struct KeyFileTests {
    static let nobody: uid_t = 65534

    @Test("S2: a symbolic link to a valid key file is refused", arguments: KeyFileKind.allCases)
    func symbolicLink(kind: KeyFileKind) throws {
        let directory = try TemporaryDirectory()
        let target = try kind.write(in: directory)
        try kind.load(target)
        let link = directory.file("link")
        try #require(symlink(target, link) == 0)
        #expect(throws: KeyFileError.symbolicLink(path: link)) { try kind.load(link) }
        // A dangling link is refused the same way, before anything is opened.
        let dangling = directory.file("dangling")
        try #require(symlink(directory.file("missing"), dangling) == 0)
        #expect(throws: KeyFileError.symbolicLink(path: dangling)) { try kind.load(dangling) }
    }

    @Test(
        "S2: a key file owned by another user than root or the running user is refused",
        .enabled(if: geteuid() == 0, "chown to another uid needs root"), arguments: KeyFileKind.allCases)
    func otherOwner(kind: KeyFileKind) throws {
        let directory = try TemporaryDirectory()
        let path = try kind.write(in: directory)
        try #require(chown(path, Self.nobody, 0) == 0)
        #expect(throws: KeyFileError.wrongOwner(path: path, owner: UInt32(Self.nobody))) { try kind.load(path) }
        // Given back to root, the same file loads.
        try #require(chown(path, 0, 0) == 0)
        try kind.load(path)
    }

    @Test(
        "S2: a secret key file with any permission beyond 0600 (0640 for root) is refused",
        arguments: [KeyFileKind.masterKey, .spoolPrivateKey, .auditSigningKey],
        [0o700, 0o610, 0o601, 0o620, 0o604, 0o660, 0o644, 0o4600, 0o2600, 0o1600])
    func secretModes(kind: KeyFileKind, mode: Int) throws {
        let directory = try TemporaryDirectory()
        let path = try kind.write(in: directory)
        try #require(chmod(path, mode_t(mode)) == 0)
        #expect(throws: KeyFileError.insecurePermissions(path: path, mode: UInt32(mode))) { try kind.load(path) }
    }

    @Test(
        "a secret key file of mode 0600 or 0400, or 0640 or 0440 owned by root, is accepted",
        .enabled(if: geteuid() == 0, "0640 is accepted only when root owns the file"),
        arguments: [KeyFileKind.masterKey, .spoolPrivateKey, .auditSigningKey], [0o600, 0o400, 0o640, 0o440])
    func secretModesAccepted(kind: KeyFileKind, mode: Int) throws {
        let directory = try TemporaryDirectory()
        let path = try kind.write(in: directory)
        try #require(chmod(path, mode_t(mode)) == 0)
        try kind.load(path)
    }

    @Test("a group-readable secret key is refused unless root owns it; 0600 of the running user is accepted")
    func groupReadableNeedsRoot() throws {
        let directory = try TemporaryDirectory()
        let path = try KeyFileKind.masterKey.write(in: directory)
        func load(as user: uid_t) throws {
            _ = try KeyFile.read(
                path: path, tag: MasterKey.fileTag, secret: true, withID: true, keyLength: 32, runningUser: user)
        }
        // The pure rule, for a program running as uid 998 (e.g. madoguchi).
        #expect(KeyFile.refusal(path: path, owner: 998, mode: 0o100600, secret: true, runningUser: 998) == nil)
        #expect(
            KeyFile.refusal(path: path, owner: 998, mode: 0o100640, secret: true, runningUser: 998)
                == .insecurePermissions(path: path, mode: 0o640))
        #expect(KeyFile.refusal(path: path, owner: 0, mode: 0o100640, secret: true, runningUser: 998) == nil)
        #expect(
            KeyFile.refusal(path: path, owner: 999, mode: 0o100600, secret: true, runningUser: 998)
                == .wrongOwner(path: path, owner: 999))
        // And on the file itself, where chown is possible.
        guard geteuid() == 0 else { return }
        try #require(chown(path, Self.nobody, 0) == 0)
        try load(as: Self.nobody)
        try #require(chmod(path, 0o640) == 0)
        #expect(throws: KeyFileError.insecurePermissions(path: path, mode: 0o640)) { try load(as: Self.nobody) }
    }

    @Test(
        "S2: a public key file writable by group or others is refused; 0644 and 0444 are accepted",
        arguments: [0o664, 0o646, 0o666, 0o620, 0o602])
    func publicKeyWritable(mode: Int) throws {
        let directory = try TemporaryDirectory()
        let path = try KeyFileKind.spoolPublicKey.write(in: directory)
        try KeyFileKind.spoolPublicKey.load(path)
        try #require(chmod(path, 0o444) == 0)
        try KeyFileKind.spoolPublicKey.load(path)
        try #require(chmod(path, mode_t(mode)) == 0)
        #expect(throws: KeyFileError.writablePublicKey(path: path, mode: UInt32(mode))) {
            try KeyFileKind.spoolPublicKey.load(path)
        }
    }

    @Test("refusals name the path and the problem, never the key, and exit 77 or 78")
    func messages() throws {
        let directory = try TemporaryDirectory()
        let path = try KeyFileKind.masterKey.write(in: directory)
        let content = try DurableFile.read(path)
        let key = try #require(
            String(decoding: content, as: UTF8.self).split(separator: "\n").last?.split(separator: " ").last)
        let errors: [(KeyFileError, SysExit)] = [
            (.insecurePermissions(path: path, mode: 0o644), .noPermission),
            (.writablePublicKey(path: path, mode: 0o664), .noPermission),
            (.wrongOwner(path: path, owner: 65534), .noPermission),
            (.symbolicLink(path: path), .config),
        ]
        for (error, exit) in errors {
            #expect(error.description.contains(path), "\(error)")
            #expect(!error.description.contains(String(key)))
            #expect(error.exitCode == exit)
        }
        #expect(KeyFileError.wrongOwner(path: path, owner: 65534).description.contains("65534"))
        #expect(KeyFileError.insecurePermissions(path: path, mode: 0o700).description.contains("permissions 0700"))
        #expect(KeyFileError.writablePublicKey(path: path, mode: 0o664).description.contains("mode 0664"))
    }
}
