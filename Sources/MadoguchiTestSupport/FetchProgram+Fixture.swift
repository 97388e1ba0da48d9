// FetchProgram+Fixture (FetchInstance): a self-contained instance made by the built `madoguchi init`, with
// mailboxes added by `madoguchi mailbox add` and the built fetch-forwarded-mail run on it.

import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail

/// A self-contained instance made by `madoguchi init`, with the fetcher's files inside it.
public struct FetchInstance {
    /// The instance directory.
    public let root: String
    /// Where `init` put each file.
    public let layout: InstanceLayout
    /// The configuration file.
    public var configuration: String { layout.configurationFile }
    /// The fetcher's accounts file.
    public var accountsFile: String { layout.fetchAccountsFile }
    /// The fetcher's state directory.
    public var stateDirectory: String { layout.fetchStateDirectory }
    /// The instance's spool.
    public var spool: Spool { Spool(directory: layout.spoolDirectory) }

    /// Runs `madoguchi init --dir root` (its configuration keeps the fetcher's files inside).
    public init(root: String) throws {
        self.root = root
        layout = InstanceLayout(root: root, workingDirectory: "/")
        let made = try BuiltProgram.run("madoguchi", ["init", "--dir", root])
        guard made.status == 0 else { throw TestToolError("madoguchi init failed: \(made.output)") }
    }

    /// `madoguchi mailbox add` for a Dovecot account, password on stdin.
    public func add(_ account: FetchAccount) throws {
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
    public func fetch(_ extra: [String] = [], environment: [String: String] = [:]) throws -> BuiltProgram.Outcome {
        try BuiltProgram.run("fetch-forwarded-mail", ["--config", configuration] + extra, environment: environment)
    }

    /// The fetch key made by `init` (it names the spool files).
    public func identity() throws -> FetchIdentityKey {
        try FetchIdentityKey.load(path: root + "/keys/" + FetchIdentityKey.fileName)
    }

    /// The spool key pair made by `init`.
    public func spoolKeys(from directory: String? = nil) throws -> SpoolKeyPair {
        try SpoolKeyPair.load(privateKeyPath: (directory ?? root + "/keys") + "/" + SpoolKeyPair.fileName)
    }
}
