// spool-enqueue: benchmark tooling that seals .eml files into an instance's spool
// exactly as fetch-forwarded-mail does (Spool.deliver + SealedBox to spool.pub).
// Usage: spool-enqueue KEY_DIRECTORY SPOOL_DIRECTORY MAILBOX FILE...
// Not installed; the product's own importer is `madoguchi enqueue`.

import Foundation
import MadoguchiCrypto
import MadoguchiMail

@main
struct SpoolEnqueue {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 3 else {
            FileHandle.standardError.write(Data("usage: spool-enqueue keydir spooldir mailbox file...\n".utf8))
            exit(64)
        }
        let publicKey = try SpoolPublicKey.load(path: arguments[0] + "/" + SpoolPublicKey.fileName)
        let spool = Spool(directory: arguments[1])
        var fetchedAt = Int64(Date().timeIntervalSince1970)
        for (index, path) in arguments.dropFirst(3).enumerated() {
            let raw = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            fetchedAt += 1
            let envelope = SpoolEnvelope(
                mailbox: arguments[2], source: "enqueue:\(index)", fetchedAt: fetchedAt, raw: raw)
            try spool.deliver(raw, envelope: envelope) { try SealedBox.seal($0, to: publicKey) }
        }
    }
}
