// `madoguchi enqueue`: files sealed into the spool exactly as the fetcher seals
// them (same envelope and keyed intake id), one audit entry per queued file, a mailbox
// the database lacks refused, one unreadable file not stopping the others, exit 66 for
// unreadable and 65 for empty or oversized files, -v listing intake ids.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiFetch
import MadoguchiInbox
import MadoguchiMail
import MadoguchiPrograms
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct EnqueueCommandTests {
    @Test(
        "enqueue seals each file with the fetcher's keyed intake id and audits it; bad files are reported, others go in"
    )
    func enqueue() throws {
        let directory = try TemporaryDirectory()
        let layout = InstanceLayout(root: directory.file("instance"), workingDirectory: "/")
        try InstanceInitializer.create(layout)
        let keys = try SpoolKeyPair.load(privateKeyPath: layout.keyDirectory + "/" + SpoolKeyPair.fileName)
        let identity = try FetchIdentityKey.load(path: layout.keyDirectory + "/" + FetchIdentityKey.fileName)
        let spool = Spool(directory: layout.spoolDirectory)
        let text = try String(contentsOfFile: layout.configurationFile, encoding: .utf8)
        let configuration = try Configuration.parse(
            text + "mail_max_message_size = 2k\n", path: "t.conf", baseDirectory: directory.path)
        let instance = try InstanceDatabase.open(configuration: configuration)
        let messages = [FetchFixture.message("q1"), FetchFixture.message("q2")]
        for (index, message) in messages.enumerated() {
            try Data(message).write(to: URL(fileURLWithPath: directory.file("m\(index).eml")))
        }
        try Data().write(to: URL(fileURLWithPath: directory.file("empty.eml")))
        try Data(FetchFixture.message("big", size: 4096)).write(to: URL(fileURLWithPath: directory.file("big.eml")))

        func context(verbose: Bool) throws -> ToolContext {
            ToolContext(
                tool: ToolDescription(name: "madoguchi", usage: []), configuration: configuration,
                arguments: try CommandLineParser.parse([], options: []),
                log: Log(program: "enqueue-test", verbose: verbose))
        }
        func audited() throws -> [Row] {
            try instance.database.read { try $0.rows("SELECT * FROM audit WHERE action = 'enqueue' ORDER BY seq") }
        }
        let files = [directory.file("m0.eml"), directory.file("missing.eml"), directory.file("m1.eml")]
        #expect(
            try EnqueueCommand.run(
                AdminInvocation(
                    arguments: files, context: try context(verbose: false), actor: "cli:test", now: { 1000 }))
                == .noInput)
        let bad = [directory.file("empty.eml"), directory.file("big.eml")]
        #expect(
            try EnqueueCommand.run(AdminInvocation(arguments: bad, context: try context(verbose: false))) == .dataError)

        let spooled = try FetchFixture.open(spool: spool, keys: keys)
        #expect(spooled.count == 2)
        for (index, message) in messages.enumerated() {
            let intake = try identity.intakeID(mailbox: "enqueue", raw: message)
            let (envelope, raw) = try #require(spooled[intake])
            #expect(raw == message, "bytes differ")
            #expect(
                envelope
                    == SpoolEnvelope(
                        intakeID: intake, mailbox: "enqueue", source: "enqueue:m\(index).eml", fetchedAt: 1000,
                        size: message.count))
        }
        // One audit entry per queued file, none for the refused ones.
        let entries = try audited()
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0.string("actor") == "cli:test" && $0.string("target") == "mailbox:1" })
        #expect(entries.map { $0.string("detail") } == messages.map { #"{"bytes":\#($0.count)}"# })

        // A mailbox the database does not have is refused before anything is queued.
        #expect(throws: UsageError.self) {
            _ = try EnqueueCommand.run(
                AdminInvocation(
                    arguments: ["--mailbox", "import", directory.file("m0.eml")], context: try context(verbose: false)))
        }
        #expect(try spool.pending().count == 2 && (try audited()).count == 2)

        // -v prints the intake ids; --mailbox names the mailbox; a second enqueue is idempotent.
        try instance.database.write { try Mailboxes.create("import", in: $0, now: 1000) }
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let status = try EnqueueCommand.run(
            AdminInvocation(
                arguments: ["--mailbox", "import", directory.file("m0.eml")], context: try context(verbose: true),
                output: ends[1]))
        close(ends[1])
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(ends[0], &buffer, buffer.count)
        close(ends[0])
        #expect(status == .ok)
        let line = String(decoding: buffer[0..<max(count, 0)], as: UTF8.self)
        #expect(
            line == (try identity.intakeID(mailbox: "import", raw: messages[0])) + " \(directory.file("m0.eml"))\n")
        #expect(
            try EnqueueCommand.run(
                AdminInvocation(arguments: [directory.file("m0.eml")], context: try context(verbose: false))) == .ok)
        #expect(try spool.pending().count == 3)
        #expect(throws: UsageError.self) {
            _ = try EnqueueCommand.run(AdminInvocation(arguments: [], context: try context(verbose: false)))
        }
    }
}
