// SMTPSession against a real Postfix (PostfixServer, Debian postfix) on loopback that
// delivers into the DovecotServer Maildir: plain, STARTTLS and implicit TLS; AUTH
// PLAIN and LOGIN through Dovecot SASL; a refused recipient with the session going
// on; many messages over one connection. What Dovecot serves over POP3 must be the
// sent message byte for byte under the lines Postfix puts on top. Needs root.

import Foundation
import MadoguchiCore
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct SMTPPostfixTests {
    static let log = Log(program: "smtp-postfix-test")
    static let limits = SMTPLimits(connectTimeout: 5, readTimeout: 10, sessionTimeout: 50)
    static let fetchLimits = FetchLimits(
        connectTimeout: 5, readTimeout: 10, sessionTimeout: 50, maxLineLength: 64 * 1024, maxMessages: 500,
        maxMessageSize: 25 * 1024 * 1024)

    /// A reply as the composer makes it: 7-bit, ISO-2022-JP body in base64, dot lines.
    static func message(_ number: Int) -> [UInt8] {
        let body = Data("お問い合わせありがとうございます。\r\n".utf8).base64EncodedString()
        return Array(
            ("From: =?UTF-8?B?56qT5Y+j?= <support@madoguchi.test>\r\nTo: fetchtest@mail.test\r\n"
                + "Subject: =?ISO-2022-JP?B?GyRCTGQkJDlnJG8kOxsoQg==?= [#\(number)]\r\n"
                + "Date: Thu, 3 Dec 2026 12:00:00 +0900\r\nMessage-ID: <\(number).test@madoguchi.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n\(body)\r\n.\r\n..two dots\r\n.leading\r\n"
                + "\r\n.\r\nlast line\r\n").utf8)
    }

    struct Fixture {
        let certificates: TestCertificates
        let dovecot: DovecotServer
        let postfix: PostfixServer

        init() throws {
            certificates = try TestCertificates()
            dovecot = try DovecotServer(certificates: certificates)
            postfix = try PostfixServer(dovecot: dovecot, certificates: certificates)
        }

        func relay(_ tls: TLSMode, credentials: SMTPCredentials? = nil) -> SMTPRelay {
            let port =
                switch tls {
                case .none: postfix.plainPort
                case .starttls: postfix.startTLSPort
                case .implicit: postfix.implicitTLSPort
                }
            return SMTPRelay(
                host: tls == .none ? "127.0.0.1" : "localhost", port: port, tls: tls, heloName: "madoguchi.test",
                credentials: credentials, caFile: certificates.caFile)
        }

        /// Every message in the mailbox over POP3S, without the lines Postfix added on top.
        func fetchAll() throws -> [[UInt8]] {
            let account = FetchAccount(
                name: "customer", mailProtocol: .pop3, host: "localhost", port: dovecot.pop3sPort, tls: .implicit,
                user: dovecot.user, password: dovecot.password, caFile: certificates.caFile)
            let session = try POP3Session.open(account, limits: SMTPPostfixTests.fetchLimits, log: SMTPPostfixTests.log)
            defer { try? session.close() }
            return try session.list().map { try SMTPPostfixTests.strippingTrace(session.fetchBytes($0)) }
        }
    }

    /// Removes the Return-Path, X-Original-To, Delivered-To and (folded) Received
    /// lines Postfix puts above the message; records an issue for anything else.
    static func strippingTrace(_ bytes: [UInt8]) -> [UInt8] {
        var rest = bytes[...]
        let added = ["Return-Path:", "X-Original-To:", "Delivered-To:", "Received:"].map { Array($0.utf8) }
        var inAdded = false
        while let end = rest.firstIndex(of: 0x0A) {
            let line = rest[rest.startIndex...end]
            if added.contains(where: { line.starts(with: $0) }) {
                inAdded = true
            } else if !(inAdded && (line.first == 0x09 || line.first == 0x20)) {
                break
            }
            rest = rest[(end + 1)...]
        }
        return Array(rest)
    }

    @Test(
        "delivered byte-exact into Dovecot over plain, STARTTLS and implicit TLS", .timeLimit(.minutes(1)),
        arguments: [TLSMode.none, .starttls, .implicit])
    func delivery(tls: TLSMode) throws {
        let fixture = try Fixture()
        let session = try SMTPSession.open(relay: fixture.relay(tls), limits: Self.limits, log: Self.log)
        #expect((session.tls != nil) == (tls != .none))
        #expect(session.pipelining)
        let accepted = try session.send(
            envelopeFrom: "bounce@madoguchi.test", recipients: [fixture.postfix.mailbox], data: Self.message(1))
        #expect(accepted.reply.code == 250)
        #expect(accepted.queueID?.isEmpty == false)
        session.quit()
        try fixture.postfix.waitForDelivery(1)
        #expect(try fixture.fetchAll() == [Self.message(1)])
    }

    @Test(
        "AUTH PLAIN and LOGIN over TLS through Dovecot SASL; a wrong password is refused",
        .timeLimit(.minutes(1)), arguments: SMTPAuthMechanism.allCases, [TLSMode.starttls, .implicit])
    func authentication(mechanism: SMTPAuthMechanism, tls: TLSMode) throws {
        let fixture = try Fixture()
        let good = SMTPCredentials(user: fixture.postfix.user, password: fixture.postfix.password, mechanism: mechanism)
        let session = try SMTPSession.open(
            relay: fixture.relay(tls, credentials: good), limits: Self.limits, log: Self.log)
        // Authenticated, Postfix relays to any domain (permit_sasl_authenticated).
        _ = try session.send(
            envelopeFrom: "bounce@madoguchi.test", recipients: ["anyone@\(PostfixServer.discardDomain)"],
            data: Self.message(2))
        session.quit()
        let bad = SMTPCredentials(user: fixture.postfix.user, password: "wrong-Password-9", mechanism: mechanism)
        let error = #expect(throws: SMTPError.self) {
            _ = try SMTPSession.open(relay: fixture.relay(tls, credentials: bad), limits: Self.limits, log: Self.log)
        }
        guard case .authenticationFailed(let reply)? = error else {
            Issue.record("expected authenticationFailed, got \(String(describing: error))\n\(fixture.postfix.log())")
            return
        }
        #expect(reply.code == 535)
        #expect(error?.description.contains("wrong-Password-9") == false)
    }

    @Test("an unknown recipient is refused per recipient; the session sends the next", .timeLimit(.minutes(1)))
    func unknownRecipient() throws {
        let fixture = try Fixture()
        let session = try SMTPSession.open(relay: fixture.relay(.starttls), limits: Self.limits, log: Self.log)
        let error = #expect(throws: SMTPError.self) {
            _ = try session.send(
                envelopeFrom: "bounce@madoguchi.test", recipients: ["nobody@\(PostfixServer.mailDomain)"],
                data: Self.message(3))
        }
        guard case .recipientsRefused(let refusals)? = error else {
            Issue.record("expected recipientsRefused, got \(String(describing: error))")
            return
        }
        #expect(refusals.map(\.recipient) == ["nobody@\(PostfixServer.mailDomain)"])
        #expect(refusals.first?.reply.code == 550 && refusals.first?.reply.enhancedCode == "5.1.1")
        #expect(error?.refusesMessage == true)
        _ = try session.send(
            envelopeFrom: "bounce@madoguchi.test", recipients: [fixture.postfix.mailbox], data: Self.message(4))
        session.quit()
        try fixture.postfix.waitForDelivery(1)
        #expect(try fixture.fetchAll() == [Self.message(4)])
    }

    @Test("fifty messages over one STARTTLS connection all arrive", .timeLimit(.minutes(1)))
    func manyMessages() throws {
        let fixture = try Fixture()
        let session = try SMTPSession.open(relay: fixture.relay(.starttls), limits: Self.limits, log: Self.log)
        var ids = Set<String>()
        for number in 0..<50 {
            let accepted = try session.send(
                envelopeFrom: "bounce@madoguchi.test", recipients: [fixture.postfix.mailbox],
                data: Self.message(number))
            ids.insert(accepted.queueID ?? "")
        }
        session.quit()
        #expect(ids.count == 50)
        try fixture.postfix.waitForDelivery(50)
        #expect(Set(try fixture.fetchAll()) == Set((0..<50).map(Self.message)))
    }

    @Test("a relay certificate from another CA is refused before EHLO", .timeLimit(.minutes(1)))
    func untrustedCertificate() throws {
        let fixture = try Fixture()
        var relay = fixture.relay(.implicit)
        relay.caFile = fixture.certificates.untrusted.certificate
        let error = #expect(throws: SMTPError.self) {
            _ = try SMTPSession.open(relay: relay, limits: Self.limits, log: Self.log)
        }
        guard case .tls(.certificateRejected)? = error else {
            Issue.record("expected a rejected certificate, got \(String(describing: error))")
            return
        }
    }
}
