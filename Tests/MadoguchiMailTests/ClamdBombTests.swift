// Decompression bombs against a real clamd (madoguchi-security(7) A22): under the
// settings of scan-and-file(8) "Required clamd settings" (as ClamdServer writes them)
// none is clean; and for each bomb the one setting without which clamd 1.4 calls it
// clean, which is why that setting is required. The test clamd has only an EICAR
// signature: these verdicts come from clamd's engine (limits, heuristics).

import MadoguchiCore
import MadoguchiMail
import MadoguchiTestSupport
import Testing

// Serialized: each case blocks a test thread on clamd for seconds, and on a small
// machine parallel cases starve the other suites' time limits.
@Suite(.serialized, .timeLimit(.minutes(3)), .blocksThreads) struct ClamdBombTests {
    /// Scans each message with one clamd over its Unix socket; clamd's MaxScanTime (30 s)
    /// ends a slow scan before this client's 90 s do.
    static func scan(_ messages: [[UInt8]], settings: [String] = []) throws -> [ScanVerdict] {
        let directory = try TemporaryDirectory()
        let server = try ClamdServer.start(in: directory, extraSettings: settings)
        defer { server.stop() }
        let client = ClamdClient(address: server.address, timeout: 90, maxStreamSize: 30 << 20)
        return try messages.map { try client.scan($0) }
    }

    @Test("the bombs are small: the danger is in the expansion")
    func small() throws {
        for bomb in ZipBomb.allCases {
            let size = try bomb.archive().count
            #expect(size < 2 << 20, "\(bomb): \(size) bytes")
        }
    }

    @Test("A22: no decompression bomb is clean under the documented clamd settings")
    func notClean() throws {
        let bombs = ZipBomb.allCases
        // The padded sample really carries EICAR: behind 1000 zeros clamd finds it.
        let control = ClamdSamples.attachment(
            ClamdSamples.zipOfPaddedEICAR(padding: 1000), filename: "invoice.zip", contentType: "application/zip")
        #expect(!control.contains(ClamdSamples.eicar))
        let verdicts = try Self.scan(try bombs.map { try $0.message() } + [control])
        #expect(verdicts.last == .infected(signature: ClamdServer.eicarSignature))
        for (bomb, verdict) in zip(bombs, verdicts) {
            guard case .infected(let signature) = verdict else {
                Issue.record("\(bomb) was reported \(verdict)")
                continue
            }
            #expect(bomb.isExpected(signature), "\(bomb): \(signature)")
        }
    }

    @Test(
        "A22: each required clamd setting matters: without it clamd calls the bomb clean",
        arguments: Set(ZipBomb.allCases.map(\.weakeningSetting)).sorted())
    func settingMatters(setting: String) throws {
        let bombs = ZipBomb.allCases.filter { $0.weakeningSetting == setting }
        let verdicts = try Self.scan(try bombs.map { try $0.message() }, settings: [setting])
        #expect(verdicts == Array(repeating: .clean, count: bombs.count), "\(setting): \(bombs) \(verdicts)")
    }
}
