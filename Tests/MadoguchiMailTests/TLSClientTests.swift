// B6: the fetcher refuses bad TLS peers before sending any credential. A real
// `openssl s_server` plays the server with an untrusted, wrong-host or expired
// certificate, or TLS 1.1 only (at SECLEVEL=0 so the server would accept it); its
// transcript proves no USER/LOGIN ever arrived.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct TLSClientTests {
    enum Peer: String, Sendable, CaseIterable {
        case untrusted, wrongHost, expired, tls11
        /// TLS 1.2 offering only a CBC (non-AEAD) suite.
        case cbcOnly
        /// A correct server (not part of `allCases` refusals).
        case valid
        /// TLS 1.2 only, with an ECDHE AEAD suite (accepted).
        case tls12
    }

    static let limits = FetchLimits(
        connectTimeout: 5, readTimeout: 5, sessionTimeout: 20, maxLineLength: 64 * 1024, maxMessages: 500,
        maxMessageSize: 1024 * 1024)

    /// Starts `openssl s_server` on a free port and waits until it accepts.
    static func startServer(
        _ certificates: TestCertificates, _ peer: Peer, transcript: String
    ) throws -> (SpawnedProcess, UInt16) {
        let pair: CertificatePair =
            switch peer {
            case .untrusted: certificates.untrusted
            case .wrongHost: certificates.wrongHost
            case .expired: certificates.expired
            case .tls11, .valid, .cbcOnly, .tls12: certificates.server
            }
        // A port free a moment ago may be taken before s_server binds it: then another.
        for _ in 0..<3 {
            let port = try FakeServer.freePort()
            var arguments = [
                "s_server", "-accept", "127.0.0.1:\(port)", "-cert", pair.certificate, "-key", pair.key, "-ign_eof",
            ]
            switch peer {
            case .tls11: arguments += ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]
            case .cbcOnly: arguments += ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384"]
            case .tls12: arguments += ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"]
            default: break
            }
            let process = try SpawnedProcess("/usr/bin/openssl", arguments, outputFile: transcript)
            let deadline = Monotonic.now() + 10
            while process.isRunning {
                if let probe = try? SocketConnection.connectTCP(host: "127.0.0.1", port: port, timeout: 1) {
                    probe.close()
                    return (process, port)
                }
                guard Monotonic.now() < deadline else { throw TestToolError("openssl s_server did not start") }
                usleep(50_000)
            }
        }
        throw TestToolError("openssl s_server did not start")
    }

    @Test(
        "a bad TLS peer is refused before any credential is sent", .timeLimit(.minutes(1)),
        arguments: [Peer.untrusted, .wrongHost, .expired, .tls11, .cbcOnly], [MailProtocol.pop3, .imap])
    func refused(peer: Peer, mailProtocol: MailProtocol) throws {
        let certificates = try TestCertificates()
        let transcript = certificates.directory.file("s_server.log")
        let (server, port) = try Self.startServer(certificates, peer, transcript: transcript)
        defer { server.terminate() }
        let account = FetchAccount(
            name: "hostile", mailProtocol: mailProtocol, host: "localhost", port: port, tls: .implicit,
            user: "victim", password: "Very-Secret-1", caFile: certificates.caFile)
        let error = #expect(throws: TLSError.self) {
            _ = try MailboxConnector.open(account, limits: Self.limits, log: Log(program: "tls-test"))
        }
        switch (peer, error) {
        case (.untrusted, .certificateRejected(_, let reason)?):
            #expect(reason.contains("self-signed") || reason.contains("self signed"))
        case (.wrongHost, .certificateRejected(_, let reason)?):
            #expect(reason.contains("hostname mismatch"))
        case (.expired, .certificateRejected(_, let reason)?):
            #expect(reason.contains("expired"))
        case (.tls11, .handshakeFailed(_, let reason)?):
            #expect(reason.contains("protocol") || reason.contains("version"))
        case (.cbcOnly, .handshakeFailed):
            break
        default:
            Issue.record("unexpected error \(String(describing: error)) for \(peer)")
        }
        #expect(error?.isTransient == false)
        server.terminate()
        let text = String(decoding: FileManager.default.contents(atPath: transcript) ?? Data(), as: UTF8.self)
        #expect(!text.contains("victim"))
        #expect(!text.contains("Very-Secret-1"))
    }

    @Test("control: a TLS 1.2 server with an ECDHE AEAD suite is accepted", .timeLimit(.minutes(1)))
    func tls12Accepted() throws {
        let certificates = try TestCertificates()
        let transcript = certificates.directory.file("s_server.log")
        let (server, port) = try Self.startServer(certificates, .tls12, transcript: transcript)
        defer { server.terminate() }
        let socket = try SocketConnection.connectTCP(host: "127.0.0.1", port: port, timeout: 5)
        let connection = try TLSConnection.handshake(
            over: socket, host: "localhost", context: try TLSClientContext(caFile: certificates.caFile))
        #expect(connection.protocolVersion == "TLSv1.2")
        #expect(connection.cipher == "ECDHE-ECDSA-AES256-GCM-SHA384")
        connection.close()
    }

    @Test(
        "control: the wrong-host certificate is otherwise valid and the transcript sees data", .timeLimit(.minutes(1)))
    func wrongHostControl() throws {
        let certificates = try TestCertificates()
        let transcript = certificates.directory.file("s_server.log")
        let (server, port) = try Self.startServer(certificates, .wrongHost, transcript: transcript)
        defer { server.terminate() }
        let socket = try SocketConnection.connectTCP(host: "127.0.0.1", port: port, timeout: 5)
        let connection = try TLSConnection.handshake(
            over: socket, host: "wrong.example", context: try TLSClientContext(caFile: certificates.caFile))
        #expect(connection.protocolVersion == "TLSv1.3")
        try connection.write("USER victim\r\n")
        connection.close()
        let deadline = Monotonic.now() + 5
        var text = ""
        while !text.contains("victim") && Monotonic.now() < deadline {
            usleep(50_000)
            text = String(decoding: FileManager.default.contents(atPath: transcript) ?? Data(), as: UTF8.self)
        }
        #expect(text.contains("USER victim"))
    }

    @Test("B6: plaintext injected after the STLS go-ahead is never read as a TLS reply", .timeLimit(.minutes(1)))
    func startTLSInjection() throws {
        let certificates = try TestCertificates()
        let transcript = certificates.directory.file("s_server.log")
        let (tlsServer, tlsPort) = try Self.startServer(certificates, .valid, transcript: transcript)
        defer { tlsServer.terminate() }
        // Everything the client would need to log in, sent in plaintext with the go-ahead.
        let injected = "+OK Begin TLS\r\n+OK\r\nSTLS\r\nUSER\r\n.\r\n+OK user\r\n+OK pass\r\n"
        let server = try FakeServer { peer, _ in
            try peer.send("+OK ready\r\n")
            while let line = try peer.readLine() {
                if line == "CAPA" { try peer.send("+OK\r\nSTLS\r\nUSER\r\n.\r\n") }
                if line == "STLS" {
                    try peer.send(injected)
                    try peer.relay(toPort: tlsPort, seconds: 10)
                    return
                }
            }
        }
        let account = FetchAccount(
            name: "inject", mailProtocol: .pop3, host: "localhost", port: server.port, tls: .starttls,
            user: "victim", password: "Very-Secret-1", caFile: certificates.caFile)
        let limits = FetchLimits(
            connectTimeout: 5, readTimeout: 1, sessionTimeout: 20, maxLineLength: 1024, maxMessages: 10,
            maxMessageSize: 1024)
        #expect(throws: NetworkError.self) {
            _ = try POP3Session.open(account, limits: limits, log: Log(program: "tls-test"))
        }
        tlsServer.terminate()
        let text = String(decoding: FileManager.default.contents(atPath: transcript) ?? Data(), as: UTF8.self)
        #expect(text.contains("CAPA"))
        #expect(!text.contains("USER"))
        #expect(!text.contains("Very-Secret-1"))
    }

    @Test("a missing CA file is a configuration error")
    func missingCAFile() throws {
        let error = #expect(throws: TLSError.self) {
            _ = try TLSClientContext(caFile: "/nonexistent/ca.pem")
        }
        #expect(error?.exitCode == .config)
    }

    @Test(
        "address literals are recognised",
        arguments: [
            ("127.0.0.1", true), ("::1", true), ("10.0.0.5", true), ("localhost", false), ("mail.example.jp", false),
            ("1.2.3", false),
        ])
    func ipLiteral(host: String, isLiteral: Bool) {
        #expect(TLSConnection.isIPLiteral(host) == isLiteral)
    }
}
