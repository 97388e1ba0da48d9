// `madoguchi enqueue`: files sealed into the spool exactly as the fetcher seals
// them (same envelope and intake id), one unreadable file not stopping the others,
// exit 66 for unreadable and 65 for empty or oversized files, -v listing intake ids.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiFetch
import MadoguchiInbox
import MadoguchiMail
import MadoguchiPrograms
import MadoguchiTestSupport
import Testing

@Suite struct EnqueueCommandTests {
    @Test("enqueue seals each file with the fetcher's intake id; bad files are reported, others go in")
    func enqueue() throws {
        let directory = try TemporaryDirectory()
        let keys = try SpoolKeyPair.generate()
        mkdir(directory.file("keys"), 0o700)
        try keys.publicKey.write(to: directory.file("keys/spool.pub"))
        let spool = Spool(directory: directory.file("spool"))
        try spool.create()
        let configuration = try Configuration.parse(
            "key_directory = \(directory.file("keys"))\nspool_directory = \(spool.directory)\n"
                + "mail_max_message_size = 2k\n", path: "t.conf", baseDirectory: directory.path)
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
        let files = [directory.file("m0.eml"), directory.file("missing.eml"), directory.file("m1.eml")]
        #expect(
            try EnqueueCommand.run(
                AdminInvocation(arguments: files, context: try context(verbose: false), now: { 1000 })) == .noInput)
        let bad = [directory.file("empty.eml"), directory.file("big.eml")]
        #expect(
            try EnqueueCommand.run(AdminInvocation(arguments: bad, context: try context(verbose: false))) == .dataError)

        let spooled = try FetchFixture.open(spool: spool, keys: keys)
        #expect(spooled.count == 2)
        for (index, message) in messages.enumerated() {
            let intake = SpoolEnvelope.intakeID(mailbox: "enqueue", raw: message)
            let (envelope, raw) = try #require(spooled[intake])
            #expect(raw == message, "bytes differ")
            #expect(
                envelope
                    == SpoolEnvelope(mailbox: "enqueue", source: "enqueue:m\(index).eml", fetchedAt: 1000, raw: message)
            )
        }

        // -v prints the intake ids; --mailbox names the mailbox; a second enqueue is idempotent.
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
        #expect(line == SpoolEnvelope.intakeID(mailbox: "import", raw: messages[0]) + " \(directory.file("m0.eml"))\n")
        #expect(
            try EnqueueCommand.run(
                AdminInvocation(arguments: [directory.file("m0.eml")], context: try context(verbose: false))) == .ok)
        #expect(try spool.pending().count == 3)
        #expect(throws: UsageError.self) {
            _ = try EnqueueCommand.run(AdminInvocation(arguments: [], context: try context(verbose: false)))
        }
    }
}
