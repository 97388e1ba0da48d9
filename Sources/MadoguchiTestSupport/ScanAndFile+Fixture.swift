// ScanAndFile+Fixture (ScanAndFileInstance): a `madoguchi init` instance with a real clamd, a spool to fill
// and the built scan-and-file to run on it.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiPrograms
import MadoguchiStore
import Testing

/// A self-contained instance with a spool and the built scan-and-file executable.
public final class ScanAndFileInstance {
    public let directory: TemporaryDirectory
    public let layout: InstanceLayout
    public let spool: Spool
    private let publicKey: SpoolPublicKey
    private let identity: FetchIdentityKey
    private var mailboxes: Set<String> = [Mailboxes.enqueue]
    private var databaseIDs: [String: String] = [:]
    private var databaseKeys: KeyRing?
    private let baseConfiguration: String
    private var clock: Int64 = 1_780_000_000
    private let clamdDirectory: TemporaryDirectory?

    public init(clamdAddress: String, clamdDirectory: TemporaryDirectory? = nil) throws {
        self.clamdDirectory = clamdDirectory
        directory = try TemporaryDirectory(prefix: "madoguchi-scan")
        layout = InstanceLayout(root: directory.file("instance"), workingDirectory: "/")
        try InstanceInitializer.create(layout)
        spool = Spool(directory: layout.spoolDirectory)
        publicKey = try SpoolPublicKey.load(path: layout.keyDirectory + "/" + SpoolPublicKey.fileName)
        identity = try FetchIdentityKey.load(path: layout.keyDirectory + "/" + FetchIdentityKey.fileName)
        baseConfiguration = try String(contentsOfFile: layout.configurationFile, encoding: .utf8)
        try setClamd(clamdAddress)
    }

    /// A running clamd (its files in the instance directory) and an instance using it.
    public static func withClamd() throws -> (ClamdServer, ScanAndFileInstance) {
        let clamdDirectory = try TemporaryDirectory()
        let clamd = try ClamdServer.start(in: clamdDirectory)
        return (clamd, try ScanAndFileInstance(clamdAddress: clamd.address, clamdDirectory: clamdDirectory))
    }

    /// Points the instance at another clamd socket, with more configuration lines.
    /// - Parameter timeout: `clamd_timeout`.
    public func setClamd(_ address: String, timeout: String = "20s", extra: String = "") throws {
        try Data((baseConfiguration + "clamd_address = \(address)\nclamd_timeout = \(timeout)\n" + extra).utf8).write(
            to: URL(fileURLWithPath: layout.configurationFile))
    }

    /// Seals a message into spool/incoming as fetch-forwarded-mail does, adding the
    /// mailbox to the database first (as `madoguchi mailbox add` would) unless
    /// `addMailbox` is false.
    @discardableResult
    public func enqueue(_ raw: [UInt8], mailbox: String = "support", addMailbox: Bool = true) throws
        -> SpoolEnvelope
    {
        if addMailbox && !mailboxes.contains(mailbox) {
            let instance = try open()
            try instance.database.write { try Mailboxes.create(mailbox, in: $0, now: clock) }
            mailboxes.insert(mailbox)
        }
        clock += 1
        let envelope = try SpoolEnvelope(
            mailbox: mailbox, source: "test:\(clock)", fetchedAt: clock, raw: raw, identity: identity)
        try spool.deliver(raw, envelope: envelope) { try SealedBox.seal($0, to: publicKey) }
        let keys = try databaseKeys ?? open().keys
        databaseKeys = keys
        databaseIDs[envelope.intakeID] = try IntakeID.of(raw, mailbox: mailbox, keys: keys)
        return envelope
    }

    /// Seals `raw` into spool/incoming with an envelope of the caller's making, as anyone
    /// who can write the spool could.
    public func plant(_ raw: [UInt8], envelope: SpoolEnvelope) throws {
        try spool.deliver(raw, envelope: envelope) { try SealedBox.seal($0, to: publicKey) }
    }

    /// The intake id the database files a message enqueued here under (its own keyed id,
    /// not the spool envelope's); "" for an envelope not made by `enqueue`.
    public func filedID(_ envelope: SpoolEnvelope) -> String {
        databaseIDs[envelope.intakeID] ?? ""
    }

    /// Runs the executable; returns its exit status (minus the signal number when
    /// killed) and its output.
    /// - Parameter timeLimit: seconds after which a hanging run is killed; its output then
    ///   ends with a line saying so and its status is `-SIGKILL`.
    public func run(
        crashAt: String? = nil, arguments: [String] = [], environment: [String: String] = [:],
        timeLimit: Double = 150
    ) throws -> (status: Int32, output: String) {
        var variables = environment
        if let crashAt { variables[CrashPoint.environmentVariable] = crashAt }
        let outcome = try BuiltProgram.run(
            "scan-and-file", arguments + ["--config", layout.configurationFile], environment: variables,
            timeLimit: timeLimit)
        let note = outcome.timedOut ? "\n(test harness: scan-and-file killed after \(timeLimit) s, a hang)\n" : ""
        return (outcome.killed ? -outcome.status : outcome.status, outcome.output + note)
    }

    /// The instance database with its keys.
    public func open() throws -> InstanceDatabase {
        try InstanceDatabase.open(configuration: try Configuration.load(path: layout.configurationFile))
    }

    public func pending() throws -> [String] { try spool.pending() }

    public func count(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int64 {
        let instance = try open()
        return try instance.database.read { try $0.rows(sql, arguments).first?[0].int64Value ?? -1 }
    }
}
