// AdminCommand+Fixture (AdminCommandFixture): a real instance from InstanceInitializer with inquiries filed
// through the sealed-row fixture and the search index, and runners that call the admin
// commands' library entry points (output captured in files) or the built binary.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiPrograms
import MadoguchiStore
import Testing

/// A real instance with filed inquiries and runners for the admin commands.
public final class AdminCommandFixture {
    /// 2026-11-29T09:00:00Z.
    public static let nine: Int64 = 1_795_942_800
    public static let actor = "cli:tester"

    public let directory: TemporaryDirectory
    public let layout: InstanceLayout
    public let configuration: Configuration
    public let instance: InstanceDatabase
    private var count = 0

    public init(extraConfiguration: String = "") throws {
        directory = try TemporaryDirectory()
        layout = InstanceLayout(root: directory.file("instance"), workingDirectory: "/")
        try InstanceInitializer.create(layout)
        if !extraConfiguration.isEmpty {
            let text = try String(contentsOfFile: layout.configurationFile, encoding: .utf8) + extraConfiguration
            try text.write(toFile: layout.configurationFile, atomically: false, encoding: .utf8)
        }
        configuration = try Configuration.load(path: layout.configurationFile)
        instance = try InstanceDatabase.open(configuration: configuration)
    }

    public var context: ToolContext {
        get throws { try Self.context(configuration) }
    }

    /// A tool context for `configuration`, as ToolMain would build it.
    public static func context(_ configuration: Configuration) throws -> ToolContext {
        ToolContext(
            tool: ToolDescription(name: "madoguchi", usage: []), configuration: configuration,
            arguments: try CommandLineParser.parse([], options: []), log: Log(program: "madoguchi-test"))
    }

    /// Files one inquiry (one incoming message, indexed) and returns its ids.
    @discardableResult
    public func file(
        subject: String, body: String = "よろしくお願いします。", mailbox: String = "support", received: Int64 = nine,
        status: String = "new"
    ) throws -> FiledSample {
        count += 1
        var sample = SampleMail()
        sample.mailboxName = mailbox
        sample.subject = subject
        sample.textBody = body
        sample.htmlBody = ""
        let filed = try instance.database.fileSample(sample, intakeID: "\(mailbox):intake-\(count)", now: received)
        let index = SearchIndex(keys: instance.keys)
        try instance.database.write { tx in
            try index.add(
                messageID: filed.messageID, mailboxID: filed.mailboxID, subject: subject, body: body, in: tx)
            try tx.run("UPDATE inquiries SET status = ? WHERE id = ?", [.text(status), .integer(filed.inquiryID)])
        }
        return filed
    }

    /// Adds a sent reply to an inquiry at `at` (later activity).
    public func reply(to filed: FiledSample, at: Int64) throws {
        count += 1
        try instance.database.write { tx in
            var message = RowValues()
            message.set("inquiry_id", .integer(filed.inquiryID))
            message.set("mailbox_id", .integer(filed.mailboxID))
            message.set("intake_id", .text("reply-\(count)"))
            message.set("direction", "out")
            message.set("received_at", .integer(at))
            message.set("size", 10)
            message.seal("subject_enc", "Re: reply")
            message.seal("text_body_enc", "ご連絡ありがとうございます。")
            try tx.insert(into: "messages", message)
            try tx.run(
                "UPDATE inquiries SET last_message_at = ? WHERE id = ?", [.integer(at), .integer(filed.inquiryID)])
        }
    }

    public func pseudonym(_ filed: FiledSample) throws -> String {
        try #require(
            try instance.database.connection.rows(
                "SELECT pseudonym FROM customers WHERE id = ?", [.integer(filed.customerID)]
            ).first?.string("pseudonym"))
    }

    /// The audit rows, oldest first.
    public func audit() throws -> [Row] {
        try instance.database.connection.rows("SELECT * FROM audit ORDER BY seq")
    }

    /// The audit rows written by the admin commands (actor `cli:tester`), oldest first.
    public func adminAudit() throws -> [Row] {
        try audit().filter { $0.string("actor") == Self.actor }
    }

    /// Runs a library entry point with standard output (and error) captured in files.
    public func capture(_ body: (Int32, Int32) throws -> SysExit) throws -> (
        status: SysExit, output: String, error: String
    ) {
        let out = directory.file("stdout-\(count)")
        let err = directory.file("stderr-\(count)")
        count += 1
        let outFD = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let errFD = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(outFD >= 0 && errFD >= 0)
        let status: SysExit
        do {
            defer {
                close(outFD)
                close(errFD)
            }
            status = try body(outFD, errFD)
        }
        return (
            status, try String(contentsOfFile: out, encoding: .utf8), try String(contentsOfFile: err, encoding: .utf8)
        )
    }

    public func list(_ arguments: [String]) throws -> (status: SysExit, output: String, error: String) {
        try capture { out, _ in
            try ListCommand.run(
                AdminInvocation(arguments: arguments, context: try context, output: out, actor: Self.actor))
        }
    }

    public func search(_ arguments: [String]) throws -> (status: SysExit, output: String, error: String) {
        try capture { out, err in
            try SearchCommand.run(
                AdminInvocation(
                    arguments: arguments, context: try context, output: out, errorOutput: err, actor: Self.actor))
        }
    }

    public func quarantine(_ arguments: [String]) throws -> (status: SysExit, output: String, error: String) {
        try capture { out, _ in
            try QuarantineCommand.run(
                AdminInvocation(arguments: arguments, context: try context, output: out, actor: Self.actor))
        }
    }

    /// JSON lines as objects.
    public static func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// Runs the built `madoguchi` binary with this instance's configuration (and more
    /// environment variables, e.g. `MADOGUCHI_CRASH_AT`).
    public func runBinary(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, output: String, error: String)
    {
        let outcome = try BuiltProgram.run(
            "madoguchi", ["--config", layout.configurationFile] + arguments, environment: environment,
            separateErrors: true)
        return (outcome.status, outcome.output, outcome.errors)
    }
}
