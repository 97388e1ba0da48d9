// Integration tests against a real Dovecot (dovecot-imapd, dovecot-pop3d) on
// loopback: POP3S, IMAPS and strict STARTTLS for both, byte-exact bodies, stable
// UIDs, deletion, and refused logins. Messages are stored with CRLF line ends, which
// Dovecot serves unchanged, so fetched bytes must equal the stored bytes exactly.

import Foundation
import MadoguchiCore
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct DovecotTests {
    static let limits = FetchLimits(
        connectTimeout: 5, readTimeout: 10, sessionTimeout: 50, maxLineLength: 64 * 1024, maxMessages: 500,
        maxMessageSize: 25 * 1024 * 1024)
    static let log = Log(program: "dovecot-test")

    /// The test messages: dot lines, protocol look-alikes, 8-bit Japanese, 1 MB.
    static let messages: [[UInt8]] = {
        let dots =
            "From: a@example.com\r\nSubject: dots\r\n\r\n.leading dot\r\n.\r\n..two dots\r\n+OK fake\r\n-ERR fake\r\n"
            + "A0004 OK FETCH completed\r\n* BYE fake\r\n. \r\nend\r\n"
        let japanese =
            "From: b@example.jp\r\nSubject: =?UTF-8?B?5ZWP44GE5ZCI44KP44Gb?=\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "お問い合わせありがとうございます。\r\n請求書の再発行をお願いします。\r\n"
        var big = "From: c@example.com\r\nSubject: one megabyte\r\n\r\n"
        let line = String(repeating: "0123456789", count: 7) + "abcdef\r\n"
        while big.utf8.count < 1_048_576 { big += line }
        return [Array(dots.utf8), Array(japanese.utf8), Array(big.utf8)]
    }()

    func account(
        _ server: DovecotServer, _ certificates: TestCertificates, _ mailProtocol: MailProtocol, _ tls: TLSMode,
        host: String = "localhost", password: String? = nil
    ) -> FetchAccount {
        let port = server.port(mailProtocol, tls)
        return FetchAccount(
            name: "dovecot", mailProtocol: mailProtocol, host: host, port: port, tls: tls, user: server.user,
            password: password ?? server.password, caFile: certificates.caFile)
    }

    func fetchAll(_ session: any MailboxSession, _ list: [RemoteMessage]) throws -> Set<[UInt8]> {
        var bodies = Set<[UInt8]>()
        for message in list {
            bodies.insert(try session.fetchBytes(message))
        }
        return bodies
    }

    @Test(
        "fetches byte-exact, keeps UIDs stable and deletes", .timeLimit(.minutes(1)),
        arguments: [MailProtocol.pop3, .imap], [TLSMode.implicit, .starttls])
    func roundTrip(mailProtocol: MailProtocol, tls: TLSMode) throws {
        let certificates = try TestCertificates()
        let server = try DovecotServer(certificates: certificates)
        for (index, message) in Self.messages.enumerated() {
            try server.deliver(message, name: "100000000\(index).M\(index)P1.test")
        }
        let account = account(server, certificates, mailProtocol, tls)

        let first = try MailboxConnector.open(account, limits: Self.limits, log: Self.log)
        let listed = try first.list()
        #expect(listed.count == 3)
        #expect(Set(listed.map(\.size)) == Set(Self.messages.map(\.count)))
        #expect(try fetchAll(first, listed) == Set(Self.messages))
        let validity = first.validity
        #expect((mailProtocol == .imap) == !validity.isEmpty)
        try first.close()

        let second = try MailboxConnector.open(account, limits: Self.limits, log: Self.log)
        #expect(try second.list() == listed)
        #expect(second.validity == validity)
        try second.delete(listed)
        try second.close()

        let third = try MailboxConnector.open(account, limits: Self.limits, log: Self.log)
        #expect(try third.list().isEmpty)
        try third.close()
        #expect(try server.storedMessages().isEmpty)
    }

    @Test(
        "LF-only and unterminated messages arrive with CRLF and matching sizes", .timeLimit(.minutes(1)),
        arguments: [MailProtocol.pop3, .imap])
    func lineEnds(mailProtocol: MailProtocol) throws {
        let certificates = try TestCertificates()
        let server = try DovecotServer(certificates: certificates)
        try server.deliver(Array("Subject: lf\n\nline one\n.dot\n".utf8), name: "1000000001.M1P1.test")
        try server.deliver(Array("Subject: open\r\n\nno newline at end".utf8), name: "1000000002.M2P1.test")
        let session = try MailboxConnector.open(
            account(server, certificates, mailProtocol, .implicit), limits: Self.limits, log: Self.log)
        var bodies = Set<String>()
        for message in try session.list() {
            bodies.insert(String(decoding: try session.fetchBytes(message), as: UTF8.self))
        }
        try session.close()
        #expect(bodies.contains("Subject: lf\r\n\r\nline one\r\n.dot\r\n"))
        // POP3 must end the last line before the terminator; IMAP sends the stored octets.
        let open = "Subject: open\r\n\r\nno newline at end" + (mailProtocol == .pop3 ? "\r\n" : "")
        #expect(bodies.contains(open))
    }

    @Test("IMAP LOGIN sends an 8-bit password as a literal", .timeLimit(.minutes(1)))
    func loginLiteral() throws {
        let certificates = try TestCertificates()
        let server = try DovecotServer(certificates: certificates)
        try server.deliver(Self.messages[0], name: "1000000001.M1P1.test")
        let session = try IMAPSession.open(
            account(server, certificates, .imap, .implicit), limits: Self.limits, log: Self.log,
            authentication: .login)
        #expect(try session.list().count == 1)
        try session.close()
    }

    @Test("the certificate's IP address is checked for an IP host", .timeLimit(.minutes(1)))
    func ipLiteralHost() throws {
        let certificates = try TestCertificates()
        let server = try DovecotServer(certificates: certificates)
        let session = try MailboxConnector.open(
            account(server, certificates, .pop3, .implicit, host: "127.0.0.1"), limits: Self.limits, log: Self.log)
        #expect(try session.list().isEmpty)
        try session.close()
    }

    @Test(
        "a wrong password gives a clear, password-free error", .timeLimit(.minutes(1)),
        arguments: [MailProtocol.pop3, .imap])
    func wrongPassword(mailProtocol: MailProtocol) throws {
        let certificates = try TestCertificates()
        let server = try DovecotServer(certificates: certificates)
        let wrong = "not-the-Password-42"
        let error = #expect(throws: FetchError.self) {
            _ = try MailboxConnector.open(
                account(server, certificates, mailProtocol, .implicit, password: wrong), limits: Self.limits,
                log: Self.log)
        }
        guard case .authenticationFailed? = error else {
            Issue.record("expected authenticationFailed, got \(String(describing: error))")
            return
        }
        #expect(error?.exitCode == .noPermission)
        #expect(error?.isTransient == false)
        #expect(!(error?.description.contains(wrong) ?? true))
    }
}

/// Throughput of a 20 MB message over IMAPS and POP3S from a real Dovecot.
/// Run with `MADOGUCHI_BENCH=1 swift test -c release --filter DovecotBenchmark`.
@Suite(.blocksThreads) struct DovecotBenchmark {
    @Test(
        "fetch throughput", .timeLimit(.minutes(1)),
        .enabled(if: ProcessInfo.processInfo.environment["MADOGUCHI_BENCH"] != nil),
        arguments: [MailProtocol.imap, .pop3])
    func throughput(mailProtocol: MailProtocol) throws {
        let certificates = try TestCertificates()
        let server = try DovecotServer(certificates: certificates)
        var message = Array("From: bench@example.com\r\nSubject: bench\r\n\r\n".utf8)
        let line = Array((String(repeating: "0123456789", count: 7) + "abcdef\r\n").utf8)
        while message.count < 20 * 1024 * 1024 { message += line }
        try server.deliver(message, name: "1000000001.M1P1.bench")
        let account = FetchAccount(
            name: "bench", mailProtocol: mailProtocol, host: "localhost",
            port: mailProtocol == .imap ? server.imapsPort : server.pop3sPort, user: server.user,
            password: server.password, caFile: certificates.caFile)
        let session = try MailboxConnector.open(account, limits: DovecotTests.limits, log: DovecotTests.log)
        let listed = try session.list()
        let started = Monotonic.now()
        var total = 0
        let count = try session.fetch(listed[0]) { total += $0.count }
        let seconds = Monotonic.now() - started
        try session.close()
        #expect(count == message.count && total == message.count)
        print(
            "benchmark \(mailProtocol.rawValue): \(count) bytes in \(seconds) s = \(Double(count) / seconds / 1e6) MB/s"
        )
    }
}
