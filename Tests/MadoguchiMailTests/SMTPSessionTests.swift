// SMTPSession against in-process hostile relays (C4, C6): PIPELINING, dot-stuffing,
// 4xx/5xx at MAIL, RCPT, DATA and after the final dot with the session staying
// usable, STARTTLS not offered, replies injected after the STARTTLS go-ahead, AUTH
// with the password echoed back, slow drips, endless replies, garbage, bare CR/LF
// and envelope injection refused before anything is sent.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct SMTPSessionTests {
    static let log = Log(program: "smtp-test")
    static let limits = SMTPLimits(connectTimeout: 5, readTimeout: 5, sessionTimeout: 20)
    static let message = Array("From: a@example.jp\r\nSubject: test\r\n\r\nbody\r\n".utf8)

    static func relay(
        _ server: FakeServer, tls: TLSMode = .none, credentials: SMTPCredentials? = nil, caFile: String? = nil
    ) -> SMTPRelay {
        SMTPRelay(
            host: tls == .none ? "127.0.0.1" : "localhost", port: server.port, tls: tls, heloName: "madoguchi.test",
            credentials: credentials, caFile: caFile)
    }

    static func open(_ server: FakeServer, limits: SMTPLimits = limits) throws -> SMTPSession {
        try SMTPSession.open(relay: relay(server), limits: limits, log: log)
    }

    @Test("pipelines MAIL, RCPT and DATA in one write and dot-stuffs the body", .timeLimit(.minutes(1)))
    func pipelinedSend() throws {
        var script = FakeSMTP()
        script.expectPipelined = 3
        let fake = script
        let server = try FakeServer { peer, _ in try fake.run(peer) }
        let session = try Self.open(server)
        #expect(session.pipelining)
        let body = Array("Subject: dots\r\n\r\n.\r\n..two\r\n.start\r\nmid.dle\r\n. \r\nend\r\n".utf8)
        var hookCalls = 0
        let accepted = try session.send(envelopeFrom: "bounce@madoguchi.test", recipients: ["c@example.jp"], data: body)
        {
            hookCalls += 1
            #expect(fake.received.messages.isEmpty)
        }
        #expect(hookCalls == 1)
        #expect(accepted.queueID == "FAKE0")
        #expect(accepted.reply.code == 250 && accepted.reply.enhancedCode == "2.0.0")
        session.quit()
        server.waitUntilDone()
        let stuffed = "Subject: dots\r\n\r\n..\r\n...two\r\n..start\r\nmid.dle\r\n.. \r\nend\r\n"
        #expect(fake.received.messages == [Array(stuffed.utf8)])
        #expect(server.received.contains("MAIL FROM:<bounce@madoguchi.test> SIZE=\(body.count + 4)\r\n"))
        #expect(server.received.hasSuffix("QUIT\r\n"))
    }

    enum Stage: String, Sendable, CaseIterable {
        case mail, rcpt, data, final
    }

    @Test(
        "a 4xx or 5xx at MAIL, RCPT, DATA or after the dot: classified, and the next message goes out",
        .timeLimit(.minutes(1)), arguments: Stage.allCases, [451, 554])
    func refusals(stage: Stage, code: Int) throws {
        var script = FakeSMTP()
        let enhanced = "\(code / 100).7.1"
        let refusal = "\(code)-\(enhanced) refused <b>here</b>\r\n\(code) \(enhanced) second line\r\n"
        let refused: @Sendable (Int, Stage) -> Bool = { index, at in index == 0 && at == stage }
        script.mail = { refused($0, .mail) ? refusal : "250 2.1.0 Ok\r\n" }
        script.rcpt = { index, _ in refused(index, .rcpt) ? refusal : "250 2.1.5 Ok\r\n" }
        script.data = { index in
            if refused(index, .data) { return refusal }
            // as Postfix: no DATA without a valid sender and recipient
            return refused(index, .mail) || refused(index, .rcpt)
                ? "554 5.5.1 Error: no valid recipients\r\n" : "354 go\r\n"
        }
        script.final = { refused($0, .final) ? refusal : "250 2.0.0 Ok: queued as Q\($0)\r\n" }
        let fake = script
        let server = try FakeServer { peer, _ in try fake.run(peer) }
        let session = try Self.open(server)
        let error = #expect(throws: SMTPError.self) {
            _ = try session.send(envelopeFrom: "a@madoguchi.test", recipients: ["c@example.jp"], data: Self.message)
        }
        let reply = SMTPReply(code: code, enhancedCode: enhanced, text: "refused <b>here</b> second line")
        switch stage {
        case .mail: #expect(error == .rejected(command: "MAIL", reply: reply))
        case .rcpt:
            #expect(error == .recipientsRefused([SMTPRecipientRefusal(recipient: "c@example.jp", reply: reply)]))
        case .data: #expect(error == .rejected(command: "DATA", reply: reply))
        case .final: #expect(error == .rejected(command: "end of data", reply: reply))
        }
        #expect(error?.isTransient == (code == 451))
        #expect(error?.refusesMessage == (code == 554))
        #expect(error?.mayHaveBeenAccepted == false)
        let accepted = try session.send(
            envelopeFrom: "a@madoguchi.test", recipients: ["c@example.jp"], data: Self.message)
        #expect(accepted.queueID == "Q1")
        session.quit()
        server.waitUntilDone()
        #expect(fake.received.messages.count == (stage == .final ? 2 : 1))
        #expect(server.received.contains("RSET") == (stage != .final))
    }

    @Test("one refused recipient of two: no DATA, RSET, each refusal reported", .timeLimit(.minutes(1)))
    func partialRecipients() throws {
        var script = FakeSMTP()
        script.rcpt = { _, address in
            address == "gone@example.jp" ? "550 5.1.1 <gone@example.jp>: User unknown\r\n" : "250 2.1.5 Ok\r\n"
        }
        let fake = script
        let server = try FakeServer { peer, _ in try fake.run(peer) }
        let session = try Self.open(server)
        #expect(
            throws: SMTPError.recipientsRefused([
                SMTPRecipientRefusal(
                    recipient: "gone@example.jp",
                    reply: SMTPReply(code: 550, enhancedCode: "5.1.1", text: "<gone@example.jp>: User unknown"))
            ])
        ) {
            _ = try session.send(
                envelopeFrom: "a@madoguchi.test", recipients: ["ok@example.jp", "gone@example.jp"], data: Self.message)
        }
        session.quit()
        server.waitUntilDone()
        #expect(!server.received.contains("DATA"))
        #expect(server.received.contains("RSET\r\n"))
        #expect(fake.received.messages.isEmpty)
    }

    @Test("DATA accepted after a refused RCPT (hostile pipelining): dropped, nothing sent", .timeLimit(.minutes(1)))
    func dataAcceptedAfterRefusal() throws {
        var script = FakeSMTP()
        script.rcpt = { _, _ in "550 5.1.1 User unknown\r\n" }
        let fake = script
        let server = try FakeServer { peer, _ in try fake.run(peer) }
        let session = try Self.open(server)
        #expect(throws: SMTPError.self) {
            _ = try session.send(envelopeFrom: "a@madoguchi.test", recipients: ["c@example.jp"], data: Self.message)
        }
        #expect(throws: SMTPError.sessionUnusable) {
            _ = try session.send(envelopeFrom: "a@madoguchi.test", recipients: ["c@example.jp"], data: Self.message)
        }
        server.waitUntilDone()
        #expect(!server.received.contains("body"))
        #expect(fake.received.messages.isEmpty)
    }

    @Test("STARTTLS configured but not offered: refused, nothing sent after EHLO", .timeLimit(.minutes(1)))
    func startTLSNotOffered() throws {
        var script = FakeSMTP()
        script.ehlo = "250-fake.test\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n"
        let fake = script
        let server = try FakeServer { peer, _ in try fake.run(peer) }
        let relay = Self.relay(server, tls: .starttls, credentials: SMTPCredentials(user: "u", password: "Secret-pw-1"))
        #expect(throws: SMTPError.startTLSNotOffered(host: "localhost")) {
            _ = try SMTPSession.open(relay: relay, limits: Self.limits, log: Self.log)
        }
        server.waitUntilDone()
        #expect(server.received == "EHLO madoguchi.test\r\n")
    }

    @Test("B6/C6: replies injected after the STARTTLS go-ahead are dropped", .timeLimit(.minutes(1)))
    func startTLSInjection() throws {
        let certificates = try TestCertificates()
        var script = FakeSMTP()
        script.startTLS = "220 2.0.0 Ready\r\n250-injected\r\n250 AUTH PLAIN INJECTED\r\n"
        script.certificate = certificates.server
        script.ehloAfterTLS = "250-fake.test\r\n250 SIZE 5000\r\n"
        let fake = script
        let server = try FakeServer { peer, _ in try fake.run(peer) }
        let relay = Self.relay(server, tls: .starttls, caFile: certificates.caFile)
        let session = try SMTPSession.open(relay: relay, limits: Self.limits, log: Self.log)
        #expect(session.extensions == ["SIZE": "5000"])
        #expect(session.tls != nil)
        _ = try session.send(envelopeFrom: "a@madoguchi.test", recipients: ["c@example.jp"], data: Self.message)
        session.quit()
        server.waitUntilDone()
        #expect(fake.received.messages == [Self.message])
    }

    @Test(
        "AUTH PLAIN or LOGIN after STARTTLS; a refusal echoing the password never shows it", .timeLimit(.minutes(1)),
        arguments: SMTPAuthMechanism.allCases)
    func authentication(mechanism: SMTPAuthMechanism) throws {
        let certificates = try TestCertificates()
        let password = "Very-Secret-1"
        let echoed = [
            password, Data("\0user\0\(password)".utf8).base64EncodedString(),
            Data(password.utf8).base64EncodedString(),
        ]
        for accept in [true, false] {
            var script = FakeSMTP()
            script.certificate = certificates.server
            script.auth = accept ? "235 2.7.0 Ok\r\n" : "535 5.7.8 bad: \(echoed.joined(separator: " "))\r\n"
            let fake = script
            let server = try FakeServer { peer, _ in try fake.run(peer) }
            let credentials = SMTPCredentials(user: "user", password: password, mechanism: mechanism)
            let relay = Self.relay(server, tls: .starttls, credentials: credentials, caFile: certificates.caFile)
            if accept {
                let session = try SMTPSession.open(relay: relay, limits: Self.limits, log: Self.log)
                session.quit()
            } else {
                let error = #expect(throws: SMTPError.self) {
                    _ = try SMTPSession.open(relay: relay, limits: Self.limits, log: Self.log)
                }
                #expect(error?.exitCode == .noPermission)
                #expect(error?.isTransient == false)
                for secret in echoed { #expect(error?.description.contains(secret) == false) }
                #expect(error?.description.contains("[hidden]") == true)
            }
            server.waitUntilDone()
            let command = mechanism == .plain ? "AUTH PLAIN " + echoed[1] : "AUTH LOGIN\r\n"
            #expect(server.received.contains(command))
            #expect(!String(describing: relay).contains(password))
        }
    }

    @Test("tls = none is refused to a host that is not loopback, before connecting")
    func plaintextRefused() throws {
        let relay = SMTPRelay(
            host: "192.0.2.1", port: 25, tls: .none, heloName: "madoguchi.test",
            credentials: SMTPCredentials(user: "u", password: "p"))
        #expect(throws: SMTPError.plaintextRefused(host: "192.0.2.1")) {
            _ = try SMTPSession.open(relay: relay, limits: Self.limits, log: Self.log)
        }
    }

    @Test("B3/C6: a greeting dripping one byte at a time ends at the session deadline", .timeLimit(.minutes(1)))
    func slowGreeting() throws {
        let server = try FakeServer { peer, _ in
            for byte in "220 slow server".utf8 {
                try peer.send([byte])
                usleep(300_000)
            }
        }
        let started = Monotonic.now()
        let limits = SMTPLimits(connectTimeout: 5, readTimeout: 2, sessionTimeout: 1.5)
        let error = #expect(throws: SMTPError.self) { _ = try Self.open(server, limits: limits) }
        #expect(error == .network(.timedOut("session deadline reached")))
        #expect(error?.isTransient == true)
        #expect(Monotonic.now() - started < 4)
        server.waitUntilDone()
    }

    @Test("no answer after the final dot: outcome unknown, may have been accepted", .timeLimit(.minutes(1)))
    func silentAfterDot() throws {
        var script = FakeSMTP()
        script.final = { _ in
            sleep(3)
            return ""
        }
        let fake = script
        let server = try FakeServer { peer, _ in try fake.run(peer) }
        let session = try Self.open(server, limits: SMTPLimits(connectTimeout: 5, readTimeout: 1, sessionTimeout: 20))
        let error = #expect(throws: SMTPError.self) {
            _ = try session.send(envelopeFrom: "a@madoguchi.test", recipients: ["c@example.jp"], data: Self.message)
        }
        #expect(error?.mayHaveBeenAccepted == true)
        #expect(error?.isTransient == true)
        #expect(error?.refusesMessage == false)
        server.waitUntilDone()
    }

    @Test(
        "endless, oversized or garbage replies are protocol violations", .timeLimit(.minutes(1)),
        arguments: [
            (String(repeating: "x", count: 100_000), "reply line longer than 2048 bytes"),
            ("220-ok\r\n" + String(repeating: "220-more text in a long reply\r\n", count: 3000), "reply longer than"),
            ("HTTP/1.1 400 Bad Request\r\n", "garbage reply"),
            ("220-ok\r\n250 mixed\r\n", "reply lines with codes 220 and 250"),
            ("220x\r\n", "garbage reply"),
            ("\r\n", "garbage reply"),
        ])
    func badReplies(greeting: String, expected: String) throws {
        let server = try FakeServer { peer, _ in
            try peer.send(greeting)
            _ = try peer.readLine()
        }
        let error = #expect(throws: SMTPError.self) { _ = try Self.open(server) }
        guard case .protocolViolation(let what)? = error else {
            Issue.record("expected a protocol violation, got \(String(describing: error))")
            return
        }
        #expect(what.contains(expected))
        #expect(error?.isTransient == false)
        server.waitUntilDone()
    }

    @Test(
        "C4: bare CR or LF, NUL, long lines or no final CRLF: refused before MAIL", .timeLimit(.minutes(1)),
        arguments: [
            ("a\r\n\n.\r\nRCPT TO:<x@evil>\r\n", "bare LF in line 2"),
            ("a\r\n\r.\r\nb\r\n", "bare CR in line 2"),
            ("a\r\nb\nc\r\n", "bare LF in line 2"),
            ("a\r\nno final line end", "does not end with CRLF"),
            ("a\0b\r\n", "NUL in line 1"),
            (String(repeating: "x", count: 999) + "\r\n", "line 1 is longer than 998 octets"),
            ("日本語\r\n", "8-bit bytes"),
        ])
    func badData(data: String, expected: String) throws {
        var script = FakeSMTP()
        script.ehlo = "250-fake.test\r\n250 PIPELINING\r\n"
        let fake = script
        let server = try FakeServer { peer, _ in try fake.run(peer) }
        let session = try Self.open(server)
        let error = #expect(throws: SMTPError.self) {
            _ = try session.send(envelopeFrom: "a@madoguchi.test", recipients: ["c@example.jp"], data: Array(data.utf8))
        }
        guard case .invalidMessage(let what)? = error else {
            Issue.record("expected invalidMessage, got \(String(describing: error))")
            return
        }
        #expect(what.contains(expected))
        #expect(error?.refusesMessage == true)
        _ = try session.send(envelopeFrom: "a@madoguchi.test", recipients: ["c@example.jp"], data: Self.message)
        session.quit()
        server.waitUntilDone()
        #expect(fake.received.messages == [Self.message])
        #expect(server.received.components(separatedBy: "MAIL FROM").count == 2)
    }

    @Test(
        "C2: envelope addresses with CRLF, spaces, brackets or no @ are refused", .timeLimit(.minutes(1)),
        arguments: [
            ("a@madoguchi.test", "c@example.jp>\r\nRCPT TO:<x@evil.example"),
            ("a@madoguchi.test", "c@example.jp x@evil.example"),
            ("a@madoguchi.test>", "c@example.jp"),
            ("a@madoguchi.test", "no-at-sign"),
            ("a@madoguchi.test", "@route:c@example.jp"),
            ("a@madoguchi.test", "顧客@example.jp"),
        ])
    func badAddresses(from: String, to: String) throws {
        let server = try FakeServer { peer, _ in try FakeSMTP().run(peer) }
        let session = try Self.open(server)
        let error = #expect(throws: SMTPError.self) {
            _ = try session.send(envelopeFrom: from, recipients: [to], data: Self.message)
        }
        guard case .invalidAddress? = error else {
            Issue.record("expected invalidAddress, got \(String(describing: error))")
            return
        }
        session.quit()
        server.waitUntilDone()
        #expect(!server.received.contains("MAIL"))
    }

    @Test("a failing beforeFinalDot: the dot is never sent, the relay keeps nothing", .timeLimit(.minutes(1)))
    func hookFails() throws {
        struct CommitFailed: Error, Equatable {}
        let fake = FakeSMTP()
        let server = try FakeServer { peer, _ in try fake.run(peer) }
        let session = try Self.open(server)
        #expect(throws: CommitFailed()) {
            _ = try session.send(envelopeFrom: "a@madoguchi.test", recipients: ["c@example.jp"], data: Self.message) {
                throw CommitFailed()
            }
        }
        server.waitUntilDone()
        #expect(server.received.contains("body\r\n"))
        #expect(!server.received.contains("\r\n.\r\n"))
        #expect(fake.received.messages.isEmpty)
    }

    @Test("RFC 1870: a message over the relay's SIZE is refused before MAIL", .timeLimit(.minutes(1)))
    func sizeLimit() throws {
        var script = FakeSMTP()
        script.ehlo = "250-fake.test\r\n250 SIZE 20\r\n"
        let fake = script
        let server = try FakeServer { peer, _ in try fake.run(peer) }
        let session = try Self.open(server)
        #expect(throws: SMTPError.messageTooLarge(size: Self.message.count, limit: 20)) {
            _ = try session.send(envelopeFrom: "a@madoguchi.test", recipients: ["c@example.jp"], data: Self.message)
        }
        session.quit()
        server.waitUntilDone()
        #expect(!server.received.contains("MAIL"))
    }

    @Test("without PIPELINING each command waits for its reply; HELO when EHLO is unknown", .timeLimit(.minutes(1)))
    func noPipelining() throws {
        var script = FakeSMTP()
        script.ehlo = "502 5.5.2 Error: command not recognized\r\n"
        let fake = script
        let server = try FakeServer { peer, _ in try fake.run(peer) }
        let session = try Self.open(server)
        #expect(session.extensions.isEmpty)
        let body = Array(".\r\n".utf8)
        _ = try session.send(envelopeFrom: "", recipients: ["c@example.jp", "d@example.jp"], data: body)
        session.quit()
        server.waitUntilDone()
        #expect(fake.received.messages == [Array("..\r\n".utf8)])
        #expect(server.received.contains("HELO madoguchi.test\r\nMAIL FROM:<>\r\nRCPT TO:<c@example.jp>\r\n"))
    }
}
