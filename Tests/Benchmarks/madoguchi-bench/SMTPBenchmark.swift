// SMTPBenchmark: `madoguchi-bench smtp host port tls ca-file directory recipient` —
// sends every `*.eml` file of `directory` (CRLF lines, sorted by name) to `recipient`
// over ONE SMTPSession (PIPELINING, STARTTLS or implicit TLS verified against
// `ca-file`) and prints the messages per second, connection set-up included. Run
// through Tests/Benchmarks/smtp.sh, which compares with msmtp.

import Foundation
import MadoguchiCore
import MadoguchiMail

enum SMTPBenchmark {
    static func run(_ arguments: [String]) throws {
        guard arguments.count == 6, let port = UInt16(arguments[1]), let tls = TLSMode(rawValue: arguments[2]) else {
            print("usage: madoguchi-bench smtp host port implicit|starttls|none ca-file directory recipient")
            return
        }
        let directory = arguments[4]
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".eml") }
        let messages = try names.sorted().map {
            Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\($0)")))
        }
        let relay = SMTPRelay(
            host: arguments[0], port: port, tls: tls, heloName: "bench.madoguchi.test", caFile: arguments[3])
        let limits = SMTPLimits(readTimeout: 60, sessionTimeout: 3600)
        let clock = ContinuousClock()
        let started = clock.now
        let session = try SMTPSession.open(relay: relay, limits: limits, log: Log(program: "madoguchi-bench"))
        var bytes = 0
        for message in messages {
            _ = try session.send(envelopeFrom: "bounce@madoguchi.test", recipients: [arguments[5]], data: message)
            bytes += message.count
        }
        session.quit()
        let elapsed = (clock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        print(
            "smtp_madoguchi \(messages.count) messages \(bytes) bytes \(MadoguchiBench.format(seconds)) s "
                + "\(MadoguchiBench.format(Double(messages.count) / seconds)) msg/s")
    }
}
