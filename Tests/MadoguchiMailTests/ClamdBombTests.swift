// Decompression bombs against a real clamd (madoguchi-security(7) A22): under the
// settings of scan-and-file(8) "Required clamd settings" (as ClamdServer writes them)
// none is clean; and for each bomb the one setting without which clamd 1.4 calls it
// clean, which is why that setting is required. The test clamd has only an EICAR
// signature: these verdicts come from clamd's engine (limits, heuristics).

import MadoguchiCore
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct ClamdBombTests {
    /// Scans `message` over the Unix socket; clamd's MaxScanTime (30 s) ends a slow scan
    /// before this client's 90 s do.
    static func scan(_ message: [UInt8], settings: [String] = []) throws -> ScanVerdict {
        let directory = try TemporaryDirectory()
        let server = try ClamdServer.start(in: directory, extraSettings: settings)
        defer { server.stop() }
        return try ClamdClient(address: server.address, timeout: 90, maxStreamSize: 30 << 20).scan(message)
    }

    @Test("the bombs are small: the danger is in the expansion")
    func small() throws {
        for bomb in ZipBomb.allCases {
            let size = try bomb.archive().count
            #expect(size < 2 << 20, "\(bomb): \(size) bytes")
        }
    }

    @Test("the padded sample really carries EICAR: behind 1000 zeros, clamd finds it")
    func paddedSampleIsReal() throws {
        let message = ClamdSamples.attachment(
            ClamdSamples.zipOfPaddedEICAR(padding: 1000), filename: "invoice.zip", contentType: "application/zip")
        #expect(!message.contains(ClamdSamples.eicar))
        #expect(try Self.scan(message) == .infected(signature: ClamdServer.eicarSignature))
    }

    @Test("A22: no decompression bomb is clean under the documented clamd settings", arguments: ZipBomb.allCases)
    func notClean(bomb: ZipBomb) throws {
        let verdict = try Self.scan(try bomb.message())
        guard case .infected(let signature) = verdict else {
            Issue.record("\(bomb) was reported \(verdict)")
            return
        }
        #expect(bomb.isExpected(signature), "\(bomb): \(signature)")
    }

    @Test(
        "A22: each required clamd setting matters: without it clamd calls the bomb clean",
        arguments: ZipBomb.allCases)
    func settingMatters(bomb: ZipBomb) throws {
        #expect(try Self.scan(try bomb.message(), settings: [bomb.weakeningSetting]) == .clean, "\(bomb)")
    }
}
