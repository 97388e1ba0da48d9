// TLSServerContextTests: the HTTPS listener's TLS settings checked from outside with
// `openssl s_client` (madoguchi-security(7) D8): TLS 1.1 and a CBC/RSA-kx suite are
// refused, TLS 1.3 and the ECDHE AEAD suites of TLS 1.2 work, plain HTTP to the TLS
// port is dropped, and the server keeps serving; a key that does not match its
// certificate is refused when the context is made.

import MadoguchiCore
import MadoguchiCrypto
import MadoguchiHTTP
import MadoguchiTestSupport
import Testing

@Suite(.timeLimit(.minutes(1)), .blocksThreads) struct TLSServerContextTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates()
    }

    /// Runs `openssl s_client` against the server with stdin at EOF.
    func sClient(_ port: UInt16, _ arguments: [String]) throws -> ChildProcess.Outcome {
        try ChildProcess.run(
            "/usr/bin/openssl",
            ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", certificates.caFile] + arguments,
            timeout: 20)
    }

    func expectServing(_ server: HTTPServer) throws {
        let client = try HTTPTestClient.connect(port: server.port, caFile: certificates.caFile)
        defer { client.close() }
        #expect(try client.exchange("GET /alive HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 200)
    }

    @Test("D8 TLS 1.1 and AES128-SHA are refused, TLS 1.3 and ECDHE-AEAD TLS 1.2 succeed; serving goes on")
    func protocolsAndSuites() throws {
        let server = try HTTPServer.fixture(certificates: certificates)
        defer { server.stop() }
        // SECLEVEL=0 lets this client offer TLS 1.1 at all: the refusal must be the server's.
        let old = try sClient(server.port, ["-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"])
        #expect(old.status != 0, "\(old.output.suffix(400))")
        try expectServing(server)
        let cbc = try sClient(server.port, ["-tls1_2", "-cipher", "AES128-SHA"])
        #expect(cbc.status != 0, "\(cbc.output.suffix(400))")
        try expectServing(server)
        let tls13 = try sClient(server.port, ["-tls1_3"])
        #expect(tls13.status == 0, "\(tls13.output.suffix(400))")
        #expect(tls13.output.contains("TLSv1.3"))
        let tls12 = try sClient(server.port, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"])
        #expect(tls12.status == 0, "\(tls12.output.suffix(400))")
        let ffdhe = try sClient(server.port, ["-tls1_3", "-groups", "ffdhe2048"])
        #expect(ffdhe.status != 0, "a finite-field group was accepted")
        try expectServing(server)
    }

    @Test("D8 a client-initiated TLS 1.2 renegotiation is refused; the server keeps serving")
    func renegotiation() throws {
        let server = try HTTPServer.fixture(certificates: certificates)
        defer { server.stop() }
        // `R` on a line of its own makes s_client renegotiate.
        let outcome = try ChildProcess.run(
            "/usr/bin/openssl",
            ["s_client", "-connect", "127.0.0.1:\(server.port)", "-CAfile", certificates.caFile, "-tls1_2"],
            input: Array("R\n".utf8), timeout: 20)
        #expect(outcome.output.contains("RENEGOTIATING"), "\(outcome.output.suffix(400))")
        #expect(outcome.output.contains("no renegotiation"), "\(outcome.output.suffix(400))")
        try expectServing(server)
    }

    @Test("D8 plain HTTP sent to the TLS port closes that connection; the server keeps serving")
    func plainToTLSPort() throws {
        let server = try HTTPServer.fixture(certificates: certificates)
        defer { server.stop() }
        let plain = try HTTPTestClient.connect(port: server.port)
        defer { plain.close() }
        try plain.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        // EOF or a reset, never an HTTP answer.
        let answer = (try? plain.readResponse()) ?? nil
        #expect(answer == nil)
        try expectServing(server)
    }

    @Test("the self-signed certificate madoguchi init writes serves https://127.0.0.1 with a verified handshake")
    func initCertificate() throws {
        // The same call InstanceInitializer makes.
        let certificate = try SelfSignedCertificate.generate(commonName: "Madoguchi", ipAddresses: ["::1"])
        let directory = try TemporaryDirectory()
        let certificateFile = directory.path + "/cert.pem"
        let keyFile = directory.path + "/key.pem"
        try DurableFile.write(Array(certificate.certificatePEM.utf8), to: certificateFile, mode: 0o644)
        try DurableFile.write(Array(certificate.privateKeyPEM.utf8), to: keyFile, mode: 0o600)
        var configuration = HTTPServer.Configuration()
        configuration.listen = "127.0.0.1:0"
        let server = try HTTPServer(
            configuration: configuration, tls: TLSServerContext(certificateFile: certificateFile, keyFile: keyFile),
            handler: HTTPServer.echoHandler)
        server.start()
        defer { server.stop() }
        let client = try HTTPTestClient.connect(port: server.port, caFile: certificateFile)
        defer { client.close() }
        #expect(try client.exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")?.status == 200)
    }

    @Test("a private key that does not belong to the certificate is refused")
    func mismatchedKey() {
        #expect(throws: TLSError.self) {
            try TLSServerContext(certificateFile: certificates.server.certificate, keyFile: certificates.wrongHost.key)
        }
        #expect(throws: TLSError.self) {
            try TLSServerContext(certificateFile: "/nonexistent/cert.pem", keyFile: certificates.server.key)
        }
    }
}
