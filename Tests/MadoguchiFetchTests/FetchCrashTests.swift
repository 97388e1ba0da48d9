// Crash safety of the fetcher (madoguchi-security(7) B7): the built fetch-forwarded-mail is
// killed with SIGKILL (MADOGUCHI_CRASH_AT, DEBUG builds) after download, before and
// after the spool rename, before and after the server delete, over 200 messages per
// point in a real Dovecot, for POP3 and IMAP. After every run: no message is gone
// from the server without exactly one complete spool file holding its exact bytes.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiFetch
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct FetchCrashTests {
    /// Crash points and how far `n` advances between runs (per message, or once per session).
    static let points: [(name: String, step: Int)] = [
        ("after-download", 67), ("before-rename", 67), ("after-link", 67), ("after-rename", 67),
        ("before-state-save", 1), ("before-delete", 1), ("before-expunge", 1), ("after-delete", 1),
    ]

    @Test(
        "SIGKILL at every fetch step loses nothing and leaves no partial spool file",
        .timeLimit(.minutes(2)), arguments: [MailProtocol.pop3, .imap])
    func crashLoop(mailProtocol: MailProtocol) throws {
        let fixture = try FetchFixture()
        let instance = try FetchInstance(root: fixture.directory.file("instance"))
        try instance.add(fixture.account(mailProtocol, name: "crash"))
        let keys = try instance.spoolKeys()
        let identity = try instance.identity()
        var delivered: [String: [UInt8]] = [:]  // Maildir base name → bytes

        func check(_ context: String, killed: Bool = false) throws {
            let spooled = try FetchFixture.open(spool: instance.spool, keys: keys)  // every file opens
            let remaining = try fixture.onServer()
            for (name, bytes) in delivered where !remaining.contains(name) {
                let intake = try identity.intakeID(mailbox: "crash", raw: bytes)
                let exact = spooled[intake].map { $0.1 == bytes } ?? false
                #expect(exact, "\(context): \(name) left the server without an exact spool file")
            }
            let known = Set(try delivered.values.map { try identity.intakeID(mailbox: "crash", raw: $0) })
            #expect(Set(spooled.keys).isSubset(of: known), "\(context): unexpected spool file")
            // A killed run may leave the partial files of its other spool writer threads in
            // tmp/ (they never count); the next run removes them, and a run that ends
            // leaves none.
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: instance.spool.temporaryDirectory)
            #expect(killed || leftovers.isEmpty, "\(context): partial files in spool/tmp")
        }

        // Only IMAP has a STORE apart from its EXPUNGE.
        for (round, point) in Self.points.enumerated() where mailProtocol == .imap || point.name != "before-expunge" {
            for index in 0..<200 {
                let name = "\(1_700_000_000 + round * 1000 + index).M\(index)P\(round).crash"
                let bytes = FetchFixture.message("\(point.name)-\(index)", size: 300 + (index * 37) % 1500)
                try fixture.server.deliver(bytes, name: name)
                delivered[name] = bytes
            }
            var hit = 1
            var crashes = 0
            while true {
                let run = try instance.fetch(environment: [CrashPoint.environmentVariable: "\(point.name):\(hit)"])
                try check("\(point.name):\(hit)", killed: run.killed)
                if !run.killed {
                    #expect(run.status == 0, "\(point.name):\(hit): \(run.output)")
                    break
                }
                crashes += 1
                hit += point.step
                try #require(crashes < 20, "\(point.name) never completes")
            }
            #expect(crashes >= 1, "\(point.name) was never reached")
        }
        let final = try instance.fetch()
        #expect(final.status == 0 && !final.killed, "\(final.output)")
        try check("final")
        #expect(try FileManager.default.contentsOfDirectory(atPath: instance.spool.temporaryDirectory).isEmpty)
        #expect(try fixture.onServer().isEmpty)
        let spooled = try FetchFixture.open(spool: instance.spool, keys: keys)
        for bytes in delivered.values {
            #expect(spooled[try identity.intakeID(mailbox: "crash", raw: bytes)] != nil, "a message is missing")
        }
        #expect(spooled.count == delivered.count)
    }
}
