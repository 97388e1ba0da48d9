// Benchmark (opt-in with MADOGUCHI_BENCH=1): real clamd startup and INSTREAM scan
// times by message size and socket kind, printed for the README; each scan must be
// clean and well within the default clamd_timeout.

import Foundation
import MadoguchiCore
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.timeLimit(.minutes(1)), .blocksThreads) struct ClamdBenchmarkTests {
    @Test(
        "benchmark: clamd startup and scan time by size",
        .enabled(if: ProcessInfo.processInfo.environment["MADOGUCHI_BENCH"] != nil))
    func benchmark() throws {
        let directory = try TemporaryDirectory()
        let server = try ClamdServer.start(in: directory)
        defer { server.stop() }
        print("clamd startup (spawn to PONG on both sockets): \(format(server.startupSeconds))")
        let limit = ClamdClient(.defaults)
        for size in [64 << 10, 1 << 20, 10 << 20, 25 << 20] {
            let message = ClamdClientTests.message(size)
            for address in [server.address, server.tcpAddress] {
                let client = ClamdClient(address: address, timeout: limit.timeout, maxStreamSize: 30 << 20)
                let started = Monotonic.now()
                #expect(try client.scan(message) == .clean)
                let seconds = Monotonic.now() - started
                #expect(seconds < limit.timeout / 4)
                print("scan \(size >> 10) KiB via \(address.hasPrefix("/") ? "unix" : "tcp "): \(format(seconds))")
            }
        }
        let infected = try EICARCarrier.zipInZip.message()
        let client = ClamdClient(address: server.address, timeout: limit.timeout, maxStreamSize: 30 << 20)
        let started = Monotonic.now()
        for _ in 0..<100 {
            #expect(try client.scan(infected) == .infected(signature: ClamdServer.eicarSignature))
        }
        print("100 scans of a zip-in-zip EICAR mail via unix: \(format(Monotonic.now() - started))")
    }

    private func format(_ seconds: Double) -> String {
        String(format: "%.3f s", seconds)
    }
}
