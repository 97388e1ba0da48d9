// FetchFixture: a real Dovecot, a spool key pair and a spool for the fetch tests,
// plus helpers to open every spool file with the private key and compare bytes.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiTestSupport

/// Dovecot plus a spool the tests can read back.
final class FetchFixture {
    let certificates: TestCertificates
    let server: DovecotServer
    let directory: TemporaryDirectory
    let keys: SpoolKeyPair
    let spool: Spool
    let stateDirectory: String
    static let log = Log(program: "fetch-test")

    init() throws {
        certificates = try TestCertificates()
        server = try DovecotServer(certificates: certificates)
        directory = try TemporaryDirectory(prefix: "madoguchi-fetch")
        keys = try SpoolKeyPair.generate()
        spool = Spool(directory: directory.file("spool"))
        try spool.create()
        stateDirectory = directory.file("state")
        mkdir(stateDirectory, 0o700)
    }

    /// An account for the Dovecot test user.
    func account(
        _ mailProtocol: MailProtocol, _ tls: TLSMode = .implicit, name: String = "dovecot", keepDays: Int? = nil,
        password: String? = nil
    ) -> FetchAccount {
        let port = server.port(mailProtocol, tls)
        return FetchAccount(
            name: name, mailProtocol: mailProtocol, host: "localhost", port: port, tls: tls, user: server.user,
            password: password ?? server.password, caFile: certificates.caFile, keepDays: keepDays)
    }

    /// A FetchRun into this fixture's spool.
    func runner(limits: FetchLimits = FetchFixture.limits, now: @escaping () -> Int64 = { Int64(time(nil)) })
        -> FetchRun
    {
        let publicKey = keys.publicKey
        return FetchRun(
            spool: spool, seal: { try SealedBox.seal($0, to: publicKey) }, stateDirectory: stateDirectory,
            limits: limits, log: FetchFixture.log, now: now)
    }

    static let limits = FetchLimits(
        connectTimeout: 5, readTimeout: 10, sessionTimeout: 50, maxLineLength: 64 * 1024, maxMessages: 500,
        maxMessageSize: 256 * 1024)

    /// Every spool file opened: intake id → (envelope, raw bytes). Fails on a file that does not open.
    func spooled() throws -> [String: (SpoolEnvelope, [UInt8])] {
        try FetchFixture.open(spool: spool, keys: keys)
    }

    static func open(spool: Spool, keys: SpoolKeyPair) throws -> [String: (SpoolEnvelope, [UInt8])] {
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
    func drainSpool() throws {
        for name in try spool.pending() { try spool.remove(name) }
    }

    /// Maildir base names still on the server (flags suffix removed).
    func onServer() throws -> Set<String> {
        Set(try server.storedMessages().map { String($0.prefix { $0 != ":" }) })
    }

    /// A CRLF message of about `size` bytes with a unique subject.
    static func message(_ tag: String, size: Int = 600) -> [UInt8] {
        var text = "From: customer-\(tag)@example.jp\r\nTo: support@example.com\r\nSubject: inquiry \(tag)\r\n"
        text += "Message-ID: <\(tag)@example.jp>\r\n\r\n"
        let line = "お問い合わせ \(tag) 0123456789 abcdefghij\r\n"
        while text.utf8.count < size { text += line }
        return Array(text.utf8)
    }
}

/// A self-contained instance made by `madoguchi init`, with the fetcher's files inside it.
struct FetchInstance {
    let root: String
    let layout: InstanceLayout
    var configuration: String { layout.configurationFile }
    var accountsFile: String { layout.fetchAccountsFile }
    var stateDirectory: String { layout.fetchStateDirectory }
    var spool: Spool { Spool(directory: layout.spoolDirectory) }

    /// Runs `madoguchi init --dir root` (its configuration keeps the fetcher's files inside).
    init(root: String) throws {
        self.root = root
        layout = InstanceLayout(root: root, workingDirectory: "/")
        let made = try BuiltProgram.run("madoguchi", ["init", "--dir", root])
        guard made.status == 0 else { throw TestToolError("madoguchi init failed: \(made.output)") }
    }

    /// `madoguchi mailbox add` for a Dovecot account, password on stdin.
    func add(_ account: FetchAccount) throws {
        var arguments = [
            "--config", configuration, "mailbox", "add", "--name", account.name, "--protocol",
            account.mailProtocol.rawValue, "--host", account.host, "--port", "\(account.port)", "--tls",
            account.tls.rawValue, "--user", account.user, "--password-stdin",
        ]
        if let caFile = account.caFile { arguments += ["--ca-file", caFile] }
        if let days = account.keepDays { arguments += ["--keep-days", "\(days)"] }
        let outcome = try BuiltProgram.run("madoguchi", arguments, input: account.password + "\n")
        guard outcome.status == 0 else { throw TestToolError("mailbox add failed: \(outcome.output)") }
    }

    /// Runs fetch-forwarded-mail on this instance.
    func fetch(_ extra: [String] = [], environment: [String: String] = [:]) throws -> BuiltProgram.Outcome {
        try BuiltProgram.run("fetch-forwarded-mail", ["--config", configuration] + extra, environment: environment)
    }

    /// The spool key pair made by `init`.
    func spoolKeys(from directory: String? = nil) throws -> SpoolKeyPair {
        try SpoolKeyPair.load(privateKeyPath: (directory ?? root + "/keys") + "/" + SpoolKeyPair.fileName)
    }
}
