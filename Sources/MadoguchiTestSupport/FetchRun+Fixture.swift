// FetchRun+Fixture (FetchFixture): a real Dovecot, a spool key pair and a spool for the fetch tests,
// plus helpers to open every spool file with the private key and compare bytes.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiFetch
import MadoguchiMail

/// Dovecot plus a spool the tests can read back.
public final class FetchFixture {
    public let certificates: TestCertificates
    public let server: DovecotServer
    public let directory: TemporaryDirectory
    public let keys: SpoolKeyPair
    /// The fetcher's key that names the spool files.
    public let identity: FetchIdentityKey
    public let spool: Spool
    public let stateDirectory: String
    public static let log = Log(program: "fetch-test")

    public init() throws {
        certificates = try TestCertificates()
        server = try DovecotServer(certificates: certificates)
        directory = try TemporaryDirectory(prefix: "madoguchi-fetch")
        keys = try SpoolKeyPair.generate()
        identity = try FetchIdentityKey.generate()
        spool = Spool(directory: directory.file("spool"))
        try spool.create()
        stateDirectory = directory.file("state")
        mkdir(stateDirectory, 0o700)
    }

    /// An account for the Dovecot test user.
    public func account(
        _ mailProtocol: MailProtocol, _ tls: TLSMode = .implicit, name: String = "dovecot", keepDays: Int? = nil,
        password: String? = nil
    ) -> FetchAccount {
        let port = server.port(mailProtocol, tls)
        return FetchAccount(
            name: name, mailProtocol: mailProtocol, host: "localhost", port: port, tls: tls, user: server.user,
            password: password ?? server.password, caFile: certificates.caFile, keepDays: keepDays)
    }

    /// A FetchRun into this fixture's spool.
    public func runner(limits: FetchLimits = FetchFixture.limits, now: @escaping () -> Int64 = { Int64(time(nil)) })
        -> FetchRun
    {
        let publicKey = keys.publicKey
        return FetchRun(
            spool: spool, seal: { try SealedBox.seal($0, to: publicKey) }, identity: identity,
            stateDirectory: stateDirectory, limits: limits, log: FetchFixture.log, now: now)
    }

    public static let limits = FetchLimits(
        connectTimeout: 5, readTimeout: 10, sessionTimeout: 50, maxLineLength: 64 * 1024, maxMessages: 500,
        maxMessageSize: 256 * 1024)

    /// Every spool file opened: intake id → (envelope, raw bytes). Fails on a file that does not open.
    public func spooled() throws -> [String: (SpoolEnvelope, [UInt8])] {
        try FetchFixture.open(spool: spool, keys: keys)
    }

    public static func open(spool: Spool, keys: SpoolKeyPair) throws -> [String: (SpoolEnvelope, [UInt8])] {
        var result: [String: (SpoolEnvelope, [UInt8])] = [:]
        for name in try spool.pending() {
            let (envelope, raw) = try spool.read(name, limit: 64 << 20) { try SealedBox.open($0, with: keys) }
            guard Spool.fileName(for: envelope) == name else { throw TestToolError("\(name) is misnamed") }
            guard result[envelope.intakeID] == nil else { throw TestToolError("intake id twice") }
            result[envelope.intakeID] = (envelope, raw)
        }
        return result
    }

    /// Moves every spool file aside (as the filer would consume them).
    public func drainSpool() throws {
        for name in try spool.pending() { try spool.remove(name) }
    }

    /// Maildir base names still on the server (flags suffix removed).
    public func onServer() throws -> Set<String> {
        Set(try server.storedMessages().map { String($0.prefix { $0 != ":" }) })
    }

    /// A CRLF message of about `size` bytes with a unique subject.
    public static func message(_ tag: String, size: Int = 600) -> [UInt8] {
        var text = "From: customer-\(tag)@example.jp\r\nTo: support@example.com\r\nSubject: inquiry \(tag)\r\n"
        text += "Message-ID: <\(tag)@example.jp>\r\n\r\n"
        let line = "お問い合わせ \(tag) 0123456789 abcdefghij\r\n"
        while text.utf8.count < size { text += line }
        return Array(text.utf8)
    }
}
