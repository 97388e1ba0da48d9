// Spool order: files come back in the order they were written, to the nanosecond and
// beyond the file system's clock (SpoolSequence), so a reply spooled in the same second
// as its parent is never filed first.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite struct SpoolOrderTests {
    @Test("pending() is write order for files written in the same second")
    func writeOrder() throws {
        let directory = try TemporaryDirectory()
        let spool = Spool(directory: directory.file("spool"))
        try spool.create()
        let identity = try FetchIdentityKey.generate()
        let keys = try SpoolKeyPair.generate()
        var names: [String] = []
        for index in 0..<200 {
            let raw = Array("Subject: \(index)\r\n\r\nbody \(index)\r\n".utf8)
            let envelope = try SpoolEnvelope(
                mailbox: "support", source: "pop3:\(index)", fetchedAt: 1_780_000_000, raw: raw, identity: identity)
            let publicKey = keys.publicKey
            names.append(
                try spool.deliver(raw, envelope: envelope, syncDirectory: false) {
                    try SealedBox.seal($0, to: publicKey)
                }.name)
        }
        #expect(try spool.pending() == names)
        // A message spooled again keeps its place.
        let first = Array("Subject: 0\r\n\r\nbody 0\r\n".utf8)
        let again = try SpoolEnvelope(
            mailbox: "support", source: "pop3:0", fetchedAt: 1_780_000_001, raw: first, identity: identity)
        let publicKey = keys.publicKey
        #expect(try spool.deliver(first, envelope: again) { try SealedBox.seal($0, to: publicKey) }.alreadyPresent)
        #expect(try spool.pending() == names)
    }
}
