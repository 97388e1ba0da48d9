// ClamdClient against a real clamd (clamav-daemon) started by the test harness with
// a local EICAR signature only: clamd must decode MIME and unpack archives to find
// EICAR (madoguchi-security(7) A20–A22), and a stopped or too-strict clamd fails closed (A24).

import Foundation
import MadoguchiCore
import MadoguchiMail
import MadoguchiTestSupport
import Testing

/// Ways the EICAR test file reaches the desk.
enum EICARCarrier: String, CaseIterable, Sendable {
    case plainBody, base64Body, base64Attachment, zip, zipInZip, forwardedMessage, forwardedZip

    /// The raw message carrying EICAR this way.
    func message() throws -> [UInt8] {
        let eicar = ClamdSamples.eicar
        switch self {
        case .plainBody: return ClamdSamples.plainBody()
        case .base64Body: return ClamdSamples.base64Body()
        case .base64Attachment:
            return ClamdSamples.attachment(eicar, filename: "invoice.com", contentType: "application/octet-stream")
        case .zip:
            return ClamdSamples.attachment(
                try ClamdSamples.zip([("invoice.com", eicar)]), filename: "invoice.zip", contentType: "application/zip")
        case .zipInZip:
            let inner = try ClamdSamples.zip([("readme.txt", Array("見積書".utf8)), ("invoice.com", eicar)])
            return ClamdSamples.attachment(
                try ClamdSamples.zip([("inner.zip", inner)]), filename: "outer.zip", contentType: "application/zip")
        case .forwardedMessage:
            return ClamdSamples.forwarded(try EICARCarrier.base64Attachment.message())
        case .forwardedZip:
            return ClamdSamples.forwarded(try EICARCarrier.zipInZip.message())
        }
    }
}

/// Attachments clamd cannot look into, and the heuristic verdict they must get.
enum Uninspectable: String, CaseIterable, Sendable {
    /// A password-protected zip (the password would be in the mail body).
    case encryptedZip
    /// A small zip expanding beyond MaxScanSize (a mild zip bomb).
    case beyondScanLimits

    /// clamd.conf lines the case needs.
    var settings: [String] {
        self == .beyondScanLimits ? ["MaxScanSize 2M", "MaxFileSize 2M"] : []
    }

    /// The verdict's expected signature prefix.
    var signaturePrefix: String {
        self == .encryptedZip ? "Heuristics.Encrypted" : "Heuristics.Limits.Exceeded"
    }

    /// The message carrying it.
    func message() throws -> [UInt8] {
        let zip =
            self == .encryptedZip
            ? try ClamdSamples.zip([("invoice.txt", Array("nothing to see".utf8))], password: "1234")
            : try ClamdSamples.zip([("zeros.bin", [UInt8](repeating: 0, count: 3 << 20))])
        return ClamdSamples.attachment(zip, filename: "invoice.zip", contentType: "application/zip")
    }
}

@Suite(.timeLimit(.minutes(1)), .blocksThreads) struct ClamdIntegrationTests {
    /// Scans `message` over both of the server's sockets and returns both verdicts.
    static func scanBoth(_ server: ClamdServer, _ message: [UInt8]) throws -> [ScanVerdict] {
        try [server.address, server.tcpAddress].map {
            try ClamdClient(address: $0, timeout: 30, maxStreamSize: 30 * 1024 * 1024).scan(message)
        }
    }

    @Test("EICAR is found however it is wrapped", arguments: EICARCarrier.allCases)
    func eicarFound(carrier: EICARCarrier) throws {
        let message = try carrier.message()
        if carrier != .plainBody {
            // Only decoding (base64, deflate) can reveal it: the raw bytes are not in the message.
            #expect(!message.contains(ClamdSamples.eicar), "\(carrier) carries EICAR in the clear")
        }
        let directory = try TemporaryDirectory()
        let server = try ClamdServer.start(in: directory)
        defer { server.stop() }
        let verdicts = try Self.scanBoth(server, message)
        #expect(verdicts == Array(repeating: .infected(signature: ClamdServer.eicarSignature), count: 2))
    }

    @Test("a clean Japanese inquiry is clean")
    func cleanJapanese() throws {
        let directory = try TemporaryDirectory()
        let server = try ClamdServer.start(in: directory)
        defer { server.stop() }
        #expect(try Self.scanBoth(server, ClamdSamples.japaneseInquiry()) == [.clean, .clean])
        let attachment = ClamdSamples.attachment(
            try ClamdSamples.zip([("見積書.txt", Array("お見積り金額は別紙のとおりです。".utf8))]), filename: "mitsumori.zip",
            contentType: "application/zip")
        #expect(try Self.scanBoth(server, attachment) == [.clean, .clean])
    }

    @Test(
        "content clamd cannot inspect is not clean (AlertEncrypted, AlertExceedsMax)", arguments: Uninspectable.allCases
    )
    func uninspectable(sample: Uninspectable) throws {
        let directory = try TemporaryDirectory()
        let server = try ClamdServer.start(in: directory, extraSettings: sample.settings)
        defer { server.stop() }
        let message = try sample.message()
        #expect(message.count < 1 << 20)
        let verdict = try ClamdClient(address: server.address, timeout: 30, maxStreamSize: 1 << 20).scan(message)
        guard case .infected(let name) = verdict else { Issue.record("\(sample) was \(verdict)"); return }
        #expect(name.hasPrefix(sample.signaturePrefix), "\(name)")
    }

    @Test("a message over clamd's StreamMaxLength is a transient error, never clean")
    func clamdStreamLimit() throws {
        let directory = try TemporaryDirectory()
        let server = try ClamdServer.start(in: directory, streamMaxLength: "1M")
        defer { server.stop() }
        let message = ClamdClientTests.message(3 << 20)
        for address in [server.address, server.tcpAddress] {
            let client = ClamdClient(address: address, timeout: 30, maxStreamSize: 30 << 20)
            let error = try #require(throws: ScanError.self) { try client.scan(message) }
            #expect(exitCode(for: error) == .tempFail, "\(error)")
        }
    }

    @Test("a stopped clamd is a transient error (exit 75)")
    func stopped() throws {
        let directory = try TemporaryDirectory()
        let server = try ClamdServer.start(in: directory)
        try ClamdClient(address: server.address, timeout: 5, maxStreamSize: 0).ping()
        server.stop()
        for address in [server.address, server.tcpAddress] {
            let client = ClamdClient(address: address, timeout: 5, maxStreamSize: 1 << 20)
            let error = try #require(throws: ScanError.self) { try client.scan(ClamdSamples.japaneseInquiry()) }
            #expect(error.isTransient)
            #expect(exitCode(for: error) == .tempFail)
            #expect(throws: ScanError.self) { try client.ping() }
        }
    }

    @Test("PING, VERSION and a local database only (no freshclam, no official signatures)")
    func pingVersion() throws {
        let directory = try TemporaryDirectory()
        let server = try ClamdServer.start(in: directory)
        defer { server.stop() }
        let client = ClamdClient(address: server.tcpAddress, timeout: 5, maxStreamSize: 0)
        try client.ping()
        #expect(try client.version().hasPrefix("ClamAV 1."))
        let log = try String(contentsOfFile: server.logFile, encoding: .utf8)
        #expect(log.contains("Loaded 1 signatures"), "\(server.logTail())")
        #expect(log.contains("Bytecode support disabled"))
        #expect(server.startupSeconds < 30)
    }

    @Test("the launcher refuses a TCP port held by another clamd instead of using that daemon")
    func portTaken() throws {
        let first = try TemporaryDirectory()
        let holder = try ClamdServer.start(in: first, streamMaxLength: "1M")
        defer { holder.stop() }
        let port = try #require(SocketConnection.splitHostPort(holder.tcpAddress)?.1)
        let second = try TemporaryDirectory()
        #expect(throws: ClamdHarnessError.self) {
            try ClamdServer.start(in: second, tcpPort: port, readyTimeout: 20)
        }
        let log = try String(contentsOfFile: second.file("clamd/clamd.log"), encoding: .utf8)
        #expect(log.contains("TCP: Cannot bind to [127.0.0.1]:\(port)"))
        // clamd removes its pid file and socket only when it has exited.
        #expect(!FileManager.default.fileExists(atPath: second.file("clamd/clamd.pid")))
        #expect(!FileManager.default.fileExists(atPath: second.file("clamd/clamd.sock")))
        try ClamdClient(address: holder.tcpAddress, timeout: 5, maxStreamSize: 0).ping()
    }

    @Test("a message of mail_max_message_size (25M) is scanned within clamd_timeout")
    func largestMessage() throws {
        let directory = try TemporaryDirectory()
        let server = try ClamdServer.start(in: directory)
        defer { server.stop() }
        let client = ClamdClient(.defaults)
        let message = ClamdClientTests.message(client.maxStreamSize)
        let local = ClamdClient(address: server.address, timeout: client.timeout, maxStreamSize: client.maxStreamSize)
        #expect(try local.scan(message) == .clean)
    }
}
