// send-replies end to end: replies queued through the answering domain on a real
// instance, the built send-replies, a real Postfix (PostfixServer) delivering into the
// DovecotServer Maildir, and Python's `email` as the customer's mail reader; FakeSMTP for
// the relay answers Postfix will not give on demand. What each test proves is in its name.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct SendRepliesTests {
    static let python = "/usr/bin/python3"

    /// The customer's side: Python's `email` (compat32 for the raw fields, RFC 2047 through
    /// `email.header.decode_header`, bodies through `get_payload(decode=True)`, the default
    /// policy for defects). Python has no CP50221 codec (its iso2022_jp stops at JIS X
    /// 0208), so ISO-2022-JP bytes are mapped to Shift_JIS and decoded as cp932, which
    /// holds the same NEC row 13 and NEC-selected IBM rows 89–92 CP50221 uses.
    static let script = """
        import base64, email, email.header, email.policy, email.utils, json, sys

        def cp50221(data):
            out, mode, i = bytearray(), 'ascii', 0
            while i < len(data):
                if data[i] == 0x1b:
                    mode = {b'(B': 'ascii', b'(J': 'ascii', b'$@': 'jis', b'$B': 'jis', b'(I': 'kana'}[bytes(data[i + 1:i + 3])]
                    i += 3
                elif mode == 'jis' and data[i] not in (0x0a, 0x0d):
                    j1, j2 = data[i], data[i + 1]
                    s1 = ((j1 + 1) >> 1) + (0x70 if j1 <= 0x5e else 0xb0)
                    s2 = j2 + (0x1f if j1 % 2 else 0x7e)
                    out += bytes([s1, s2 + 1 if j1 % 2 and s2 >= 0x7f else s2])
                    i += 2
                else:
                    out.append(data[i] + 0x80 if mode == 'kana' else data[i])
                    i += 1
            return out.decode('cp932')

        def text(data, charset):
            charset = (charset or 'ascii').lower()
            return cp50221(data) if charset == 'iso-2022-jp' else data.decode(charset)

        def words(raw):
            if raw is None:
                return None
            return ''.join(p if isinstance(p, str) else text(p, c) for p, c in email.header.decode_header(str(raw)))

        raw = sys.stdin.buffer.read()
        m = email.message_from_bytes(raw, policy=email.policy.compat32)
        strict = email.message_from_bytes(raw, policy=email.policy.default)
        body, attachments = None, []
        for part in m.walk():
            if part.is_multipart():
                continue
            if part.get_content_disposition() == 'attachment':
                attachments.append([words(part.get_filename()), part.get_content_type(),
                                    base64.b64encode(part.get_payload(decode=True)).decode()])
            elif part.get_content_type() == 'text/plain' and body is None:
                body = [text(part.get_payload(decode=True), part.get_content_charset()).replace('\\r\\n', '\\n'),
                        part.get_content_charset(), part['content-transfer-encoding']]
        def address(name):
            return [list(email.utils.parseaddr(words(v))) for v in m.get_all(name) or []]
        print(json.dumps({
            'subject': words(m['subject']), 'from': address('from'), 'to': address('to'),
            'cc': m.get_all('cc'), 'bcc': m.get_all('bcc'),
            'messageID': m['message-id'], 'inReplyTo': m['in-reply-to'], 'references': m['references'],
            'body': body, 'attachments': attachments,
            'sevenBit': all(b < 0x80 for b in raw),
            'defects': [type(d).__name__ for p in strict.walk() for d in p.defects],
            'strict': [str(strict['subject']), strict.get_body(('plain',)).get_content().replace('\\r\\n', '\\n')],
        }, ensure_ascii=True))
        """

    /// Reads one delivered message as the customer's mail reader does.
    static func read(_ message: [UInt8]) throws -> [String: Any] {
        let outcome = try ChildProcess.run(python, ["-c", script], input: message, errors: .separate, timeout: 30)
        try #require(outcome.status == 0, "\(outcome.errors)")
        return try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any], "\(outcome.errors)")
    }

    /// The reply texts: Japanese with NEC row 13 (①㈱), IBM extensions (髙﨑) and a dot line.
    static let body = "山田様\n\nいつもお世話になっております。\nお見積書を添付いたします。①㈱髙﨑\n.\n-- \nサポート窓口\n"
    static let pdf = (0..<6000).map { UInt8(($0 * 31 + 7) % 256) }

    @Test(
        "each reply delivered once, read exactly by Python's email, recorded sent with its thread message",
        .timeLimit(.minutes(1)),
        arguments: [(MailboxReplySettings.Charset.utf8, TLSMode.starttls), (.iso2022jp, .implicit)])
    func delivers(charset: MailboxReplySettings.Charset, tls: TLSMode) throws {
        let relay = try PostfixRelay()
        let postfix = relay.postfix
        let directory = try TemporaryDirectory()
        var configuration = "smtp_tls = \(tls.rawValue)\nsmtp_ca_file = \(relay.certificates.caFile)\n"
        configuration += "smtp_helo_name = madoguchi.test\n"
        if tls == .implicit {
            // AUTH (Dovecot SASL) from a file only its owner reads.
            let credentials = directory.file("smtp-credentials")
            try "\(postfix.user)\n\(postfix.password)\n".write(toFile: credentials, atomically: false, encoding: .utf8)
            chmod(credentials, 0o600)
            configuration +=
                "smtp_relay = localhost:\(postfix.implicitTLSPort)\nsmtp_credentials_file = \(credentials)\n"
        } else {
            configuration += "smtp_relay = localhost:\(postfix.startTLSPort)\n"
        }
        let fixture = try SendRepliesFixture(configuration: configuration, charset: charset)
        let first = try fixture.queue(
            customer: postfix.mailbox, body: Self.body,
            attachments: [
                ("見積書_2026年度①.pdf", "application/pdf", Self.pdf), ("notes.txt", "text/plain", Array("a\r\nb".utf8)),
            ])
        let second = try fixture.queue(customer: postfix.mailbox, subject: "再送のお願い", body: "承知しました。\n")

        let run = try fixture.run()
        #expect(run.status == 0, "\(run.errors)\n\(postfix.log())")
        #expect(run.output.isEmpty && run.errors.isEmpty, "cron mails any output")
        try postfix.waitForDelivery(2)
        try postfix.waitUntilQueueEmpty()
        let delivered = try relay.delivered()
        #expect(delivered.count == 2 && delivered.values.allSatisfy { $0.count == 1 }, "\(delivered.keys)")
        if tls == .implicit { #expect(postfix.log().contains("sasl_username=\(postfix.user)")) }

        for queued in [first, second] {
            let message = try #require(delivered[queued.messageID]?.first, "\(queued.messageID) not delivered")
            let json = try Self.read(message)
            #expect(json["subject"] as? String == queued.subject)
            #expect(queued.subject.hasPrefix("Re: ") && queued.subject.contains("[#"))
            #expect(json["from"] as? [[String]] == [[SendRepliesFixture.fromName, SendRepliesFixture.fromAddress]])
            #expect((json["to"] as? [[String]])?.map { $0[1] } == [postfix.mailbox])
            #expect(json["cc"] is NSNull && json["bcc"] is NSNull)
            #expect(json["messageID"] as? String == queued.messageID)
            #expect(json["inReplyTo"] as? String == queued.customerMessageID)
            #expect(
                json["references"] as? String
                    == "<root\(queued == first ? 1 : 2)@customer.example> \(queued.customerMessageID)")
            let body = try #require(json["body"] as? [Any])
            #expect(body.first as? String == queued.body)
            #expect(body.dropFirst().first as? String == charset.rawValue)
            #expect(json["sevenBit"] as? Bool == true, "a transfer encoding that survives 7-bit relays")
            #expect(json["defects"] as? [String] == [])
            if charset == .utf8 {
                // Python's own codecs (the default policy) read the same; its iso2022_jp has no NEC rows.
                #expect(json["strict"] as? [String] == [queued.subject, queued.body])
            }

            #expect(try fixture.state(queued.reply) == "sent")
            #expect(try fixture.row(queued.reply)?.int64("sent_at") != nil)
            #expect(try fixture.outMessages(queued.inquiry).map(\.reply) == [queued.reply])
            #expect(try fixture.events(queued.inquiry).suffix(2) == ["reply-queued", "reply-sent"])
            #expect(try fixture.audit(reply: queued.reply) == ["reply-queue", "reply-sent"])
            #expect(try fixture.status(queued.inquiry) == "done")
        }
        let withAttachments = try #require(delivered[first.messageID]?.first)
        let attachments = try #require(try Self.read(withAttachments)["attachments"] as? [[String]])
        #expect(
            attachments == [
                ["見積書_2026年度①.pdf", "application/pdf", Data(Self.pdf).base64EncodedString()],
                ["notes.txt", "text/plain", Data("a\r\nb".utf8).base64EncodedString()],
            ])
        let job = try #require(try fixture.lastRun())
        #expect(job.outcome == .ok && job.exitCode == 0)
        #expect(job.counts == ["sent": 2, "retried": 0, "failed": 0, "unconfirmed": 0, "requeued": 0])

        // A second run finds nothing due and sends nothing again.
        let again = try fixture.run()
        #expect(again.status == 0 && again.output.isEmpty && again.errors.isEmpty)
        try postfix.waitUntilQueueEmpty()
        #expect(try postfix.deliveredMessages().count == 2)
        #expect(try fixture.lastRun()?.counts["sent"] == 0)
    }

    @Test(
        "a configuration that cannot work exits as send-replies(8) says and leaves the reply queued",
        .timeLimit(.minutes(1)),
        arguments: [
            ("", 78, "smtp_relay is not set"),
            ("smtp_relay = 192.0.2.25:25\nsmtp_tls = none\n", 78, "loopback"),
            ("smtp_relay = 127.0.0.1:9\nsmtp_credentials_file = CREDENTIALS\n", 77, "smtp-credentials"),
        ])
    func configurationRefused(configuration: String, exit: Int32, message: String) throws {
        let directory = try TemporaryDirectory()
        let credentials = directory.file("smtp-credentials")
        try "relay-user\nSecret-Pw-4711\n".write(toFile: credentials, atomically: false, encoding: .utf8)
        chmod(credentials, 0o644)
        let fixture = try SendRepliesFixture(
            configuration: configuration.replacingOccurrences(of: "CREDENTIALS", with: credentials))
        let queued = try fixture.queue(customer: "customer@example.jp", body: "回答です。\n")
        let run = try fixture.run()
        #expect(run.status == exit, "\(run.errors)")
        #expect(run.errors.contains(message), "\(run.errors)")
        #expect(!run.errors.contains("Secret-Pw-4711"), "the password never reaches a log")
        #expect(try fixture.state(queued.reply) == "queued")
        #expect(try fixture.outMessages(queued.inquiry).isEmpty)
        let job = try #require(try fixture.lastRun())
        #expect(job.exitCode == exit)
    }

    /// A fake relay answering reply n's RCPT and final dot with what `rcpt(n)` and
    /// `final(n)` say (nil: the usual success).
    static func fakeRelay(rcpt: @escaping @Sendable (Int) -> String?, final: @escaping @Sendable (Int) -> String?)
        throws -> (FakeServer, FakeSMTP)
    {
        var script = FakeSMTP()
        script.ehlo = "250-fake.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n"
        script.rcpt = { n, _ in rcpt(n) ?? "250 2.1.5 Ok\r\n" }
        // As Postfix does: DATA after refused recipients is refused too.
        script.data = { n in
            rcpt(n) == nil ? "354 End data with <CR><LF>.<CR><LF>\r\n" : "554 5.5.1 no valid recipients\r\n"
        }
        script.final = { n in final(n) ?? "250 2.0.0 Ok: queued as FAKE\(n)\r\n" }
        let fake = script
        let server = try FakeServer(connections: 1) { peer, _ in try fake.run(peer) }
        return (server, fake)
    }

    @Test(
        "4xx queues the reply again with back-off, 5xx fails it with the escaped answer; the rest go out",
        .timeLimit(.minutes(1)))
    func relayAnswers() throws {
        let customer = "hanako@example.jp"
        let (server, fake) = try Self.fakeRelay(
            rcpt: { $0 == 0 ? "451 4.3.0 <\(customer)>: try again later\r\n" : nil },
            final: { $0 == 1 ? "554 5.7.1 <\(customer)>: message <b>refused</b>\r\n" : nil })
        let fixture = try SendRepliesFixture(configuration: "smtp_relay = 127.0.0.1:\(server.port)\nsmtp_tls = none\n")
        let later = try fixture.queue(customer: customer, body: "一通目\n", ago: 300)
        let refused = try fixture.queue(customer: customer, body: "二通目\n", ago: 200)
        let accepted = try fixture.queue(customer: customer, body: "三通目\n", ago: 100)
        let started = JobRun.now()
        let run = try fixture.run()
        #expect(run.status == 0, "\(run.errors)")
        #expect(server.waitUntilDone())
        #expect(fake.received.messages.count == 2, "the 4xx reply's DATA was never sent")

        let retry = try #require(try fixture.row(later.reply))
        #expect(retry.string("state") == "queued" && retry.int64("attempts") == 1)
        let next = try #require(retry.int64("next_attempt_at"))
        #expect((started + 60...JobRun.now() + 60).contains(next), "back-off: 1 minute after the first failure")
        #expect(try fixture.events(later.inquiry).last == "reply-retry")

        let failed = try #require(try fixture.row(refused.reply))
        #expect(failed.string("state") == "failed")
        let answer = try #require(failed.string("last_error_enc"))
        #expect(answer.contains("554 5.7.1") && answer.contains("<b>refused</b>"))
        #expect(!answer.contains(customer), "the address is replaced by the pseudonym")
        #expect(try fixture.status(refused.inquiry) == "in_progress")
        #expect(try fixture.events(refused.inquiry).last == "reply-failed")
        #expect(try fixture.audit(reply: refused.reply).last == "reply-failed")

        #expect(try fixture.state(accepted.reply) == "sent")
        #expect(
            try fixture.lastRun()?.counts == ["sent": 1, "retried": 1, "failed": 1, "unconfirmed": 0, "requeued": 0])

        // The next run: nothing due before the back-off ends (the fake takes no second connection).
        let again = try fixture.run()
        #expect(again.status == 0, "\(again.errors)")
        #expect(try fixture.state(later.reply) == "queued")
    }

    @Test(
        "a 250 is recorded as sent even when the write it was to be committed with fails",
        .timeLimit(.minutes(1)))
    func acceptedSurvivesFailedWrite() throws {
        // The relay's 250 for reply 0 is committed with reply 1's pre-dot record. Here that
        // record fails: while the relay holds back reply 0's answer, reply 1 changes state
        // under the run (its `begin` refuses it). The 250 must still be recorded.
        let fixture = try SendRepliesFixture(configuration: "")
        let database = fixture.admin.configuration[.databaseFile]
        let first = try fixture.queue(customer: "a@example.jp", body: "一通目\n", ago: 200)
        let second = try fixture.queue(customer: "b@example.jp", body: "二通目\n", ago: 100)
        let (server, fake) = try Self.fakeRelay(
            rcpt: { _ in nil },
            final: { n in
                if n == 0 {
                    let sql = "UPDATE replies SET state = 'draft' WHERE id = \(second.reply)"
                    let changed = try? ChildProcess.run(
                        SendRepliesTests.python,
                        [
                            "-c",
                            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()",
                            database, sql,
                        ], timeout: 20)
                    if changed?.status != 0 { return "421 4.3.0 test setup failed\r\n" }
                }
                return nil
            })
        let text =
            try String(contentsOfFile: fixture.configurationFile, encoding: .utf8)
            + "smtp_relay = 127.0.0.1:\(server.port)\nsmtp_tls = none\n"
        try text.write(toFile: fixture.configurationFile, atomically: false, encoding: .utf8)
        let run = try fixture.run()
        #expect(run.status != 0, "reply 1 could not be sent")
        #expect(server.waitUntilDone())
        #expect(fake.received.messages.count == 1)
        #expect(try fixture.state(first.reply) == "sent", "the relay's 250 was lost: \(run.errors)")
        #expect(try fixture.outMessages(first.inquiry).count == 1)
        #expect(try fixture.state(second.reply) == "draft")
    }

    @Test(
        "a reply cancelled within its undo window is not sent; a reply whose window runs is not either",
        .timeLimit(.minutes(1)))
    func undoWindow() throws {
        let (server, fake) = try Self.fakeRelay(rcpt: { _ in nil }, final: { _ in nil })
        let fixture = try SendRepliesFixture(configuration: "smtp_relay = 127.0.0.1:\(server.port)\nsmtp_tls = none\n")
        let due = try fixture.queue(customer: "a@example.jp", body: "送ります。\n")
        let cancelled = try fixture.queue(customer: "b@example.jp", body: "取り消します。\n", ago: -30)
        let waiting = try fixture.queue(customer: "c@example.jp", body: "まだです。\n", ago: -30)
        try fixture.database.write { tx in
            _ = try fixture.replies.cancel(reply: cancelled.reply, actor: fixture.actor, now: JobRun.now(), in: tx)
        }
        let run = try fixture.run()
        #expect(run.status == 0, "\(run.errors)")
        #expect(server.waitUntilDone())
        #expect(fake.received.messages.count == 1)
        #expect(
            fake.received.messages.first.map { String(decoding: $0, as: UTF8.self).contains(due.messageID) } == true)
        #expect(try fixture.state(due.reply) == "sent")
        #expect(try fixture.state(cancelled.reply) == "draft")
        #expect(try fixture.state(waiting.reply) == "queued")
    }

    @Test("a run while another holds the lock exits 75 quietly and sends nothing", .timeLimit(.minutes(1)))
    func lockHeld() throws {
        let fixture = try SendRepliesFixture(configuration: "smtp_relay = 127.0.0.1:9\nsmtp_tls = none\n")
        let queued = try fixture.queue(customer: "customer@example.jp", body: "回答です。\n")
        let lock = try ProcessLock(path: fixture.admin.configuration[.lockDirectory] + "/send-replies.lock")
        let run = try fixture.run()
        lock.release()
        #expect(run.status == 75)
        #expect(run.output.isEmpty && run.errors.isEmpty, "\(run.errors)")
        #expect(try fixture.state(queued.reply) == "queued")
        #expect(try fixture.lastRun() == nil, "the body never ran")
    }
}
