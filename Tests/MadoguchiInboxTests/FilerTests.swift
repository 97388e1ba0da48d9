// Filer: customers by blind index, threading (verified tags and our own Message-IDs
// from anyone, the same customer's Message-IDs; everything else a new inquiry with its
// claim recorded, A25), duplicate Message-IDs and re-filed intake ids (A28), malformed
// mail kept, auto-responder flags (A27), internal-domain and Reply-To flags (A26), the
// per-sender limit (A27), sealed fields only (PlaintextScanner) and the search index
// filled in the same transaction.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct FilerTests {
    @Test("a first message creates customer, inquiry and message with every field sealed and readable")
    func firstMessage() throws {
        let h = try FilerHarness()
        let raw = FilerHarness.mail(from: "山田 太郎 <Taro@Example.JP>", messageID: "first@example.jp")
        let (inquiry, message) = try h.filed(raw)
        #expect(try h.count("SELECT count(*) FROM customers") == 1)
        #expect(try h.text("messages", message, "subject_enc") == "請求書について")
        #expect(try h.text("messages", message, "from_addr_enc") == "taro@example.jp")
        #expect(try h.text("messages", message, "from_name_enc") == "山田 太郎")
        #expect(try h.text("messages", message, "text_body_enc")?.contains("再発行") == true)
        #expect(try h.value("messages", message, "raw_enc") == .blob(raw))
        #expect(try h.text("messages", message, "to_enc")?.contains("support@example.com") == true)
        #expect(try h.text("messages", message, "headers_enc")?.hasPrefix("From: ") == true)
        #expect(try h.text("inquiries", inquiry, "subject_enc") == "請求書について")
        let row = try #require(
            try h.database.read {
                try $0.rows(
                    "SELECT status, customer_id, last_message_at FROM inquiries WHERE id = ?", [.integer(inquiry)]
                )
                .first
            })
        #expect(row.string("status") == "new")
        let customer = try #require(row.int64("customer_id"))
        #expect(try h.text("customers", customer, "address_enc") == "taro@example.jp")
        let pseudonym = try #require(
            try h.database.read {
                try $0.rows("SELECT pseudonym FROM customers WHERE id = ?", [.integer(customer)]).first?.string(
                    "pseudonym")
            })
        #expect(pseudonym.count == 8 && pseudonym.hasPrefix("C-"), "\(pseudonym)")
        let received = try h.count("SELECT received_at FROM messages WHERE id = ?", [.integer(message)])
        #expect(row.int64("last_message_at") == received)
    }

    @Test("Cc and Reply-To are stored as JSON arrays of address objects, names with quotes and backslashes intact")
    func addressLists() throws {
        let h = try FilerHarness()
        let raw = FilerHarness.mail(headers: [
            #"Cc: "Sato \"Boss\" Jiro" <jiro@example.jp>, =?UTF-8?B?5bGx55SwXOWkqumDjg==?= <taro@example.jp>"#,
            "Reply-To: plain@example.jp",
        ])
        let (_, message) = try h.filed(raw)
        func objects(_ column: String) throws -> [[String: String]] {
            let text = try #require(try h.text("messages", message, column))
            return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: String]])
        }
        #expect(
            try objects("cc_enc") == [
                ["address": "jiro@example.jp", "name": #"Sato "Boss" Jiro"#],
                ["address": "taro@example.jp", "name": #"山田\太郎"#],
            ])
        #expect(try objects("reply_to_enc") == [["address": "plain@example.jp"]])
        #expect(try h.text("messages", message, "reply_to_enc") == #"[{"address":"plain@example.jp"}]"#)
    }

    @Test("the same customer's replies thread by In-Reply-To, by References (newest known first) and by verified tag")
    func threading() throws {
        let h = try FilerHarness()
        let first = try h.filed(FilerHarness.mail(messageID: "a@example.jp"))
        let second = try h.filed(FilerHarness.mail(subject: "別件", messageID: "b@example.jp"))
        #expect(first.inquiry != second.inquiry)
        let byReply = try h.filed(FilerHarness.mail(subject: "Re: x", inReplyTo: "a@example.jp"))
        #expect(byReply.inquiry == first.inquiry)
        // References: the newest (last) known id wins.
        let byReferences = try h.filed(
            FilerHarness.mail(subject: "Re: y", references: ["a@example.jp", "b@example.jp", "unknown@x"]))
        #expect(byReferences.inquiry == second.inquiry)
        let tag = try Threading.subjectTag(inquiryID: first.inquiry, keys: h.keys)
        let byTag = try h.filed(FilerHarness.mail(subject: "Re: 別件 " + tag))
        #expect(byTag.inquiry == first.inquiry)
        // The Message-ID domain is case-insensitive.
        let upper = try h.filed(FilerHarness.mail(subject: "Re:", inReplyTo: "a@EXAMPLE.JP"))
        #expect(upper.inquiry == first.inquiry)
        for filed in [first, second, byReply, byReferences, byTag, upper] {
            #expect(!(try h.flags(filed.message).contains(.threadClaim)))
            #expect(try h.claim(filed.inquiry) == nil)
        }
    }

    @Test("A25: the verified tag attaches whoever sends it; a bare tag, a wrong code or no such inquiry only claims")
    func subjectTags() throws {
        let h = try FilerHarness()
        let first = try h.filed(FilerHarness.mail(messageID: "a@example.jp"))
        let second = try h.filed(FilerHarness.mail(subject: "別件", messageID: "b@example.jp"))
        let tag = try Threading.subjectTag(inquiryID: first.inquiry, keys: h.keys)
        // A colleague of the customer (another address) answers with the tag.
        let colleague = try h.filed(FilerHarness.mail(from: "boss@example.jp", subject: "Re: 請求書 " + tag))
        #expect(colleague.inquiry == first.inquiry)
        #expect(!(try h.flags(colleague.message).contains(.threadClaim)))
        let code = try #require(Threading.subjectTags(tag).first?.code)
        let wrong = String(code.dropLast()) + (code.hasSuffix("Z") ? "Y" : "Z")
        let secondTag = try Threading.subjectTag(inquiryID: second.inquiry, keys: h.keys)
        let otherCode = try #require(Threading.subjectTags(secondTag).first?.code)
        let claims: [(subject: String, claimed: Int64)] = [
            ("Re: 別件 [#\(first.inquiry)]", first.inquiry),
            ("［＃\(second.inquiry)］ 追加", second.inquiry),
            ("Re: [#\(first.inquiry)-\(wrong)]", first.inquiry),
            ("Re: [#\(first.inquiry)-\(otherCode)]", first.inquiry),
            ("新しい質問 " + (try Threading.subjectTag(inquiryID: 9999, keys: h.keys)), 9999),
            ("新しい質問 [#9999]", 9999),
        ]
        // From the customer of the inquiry itself, too: a From address proves nothing.
        for sender in ["taro@example.jp", "evil@attacker.example"] {
            for (subject, claimed) in claims {
                let filed = try h.filed(FilerHarness.mail(from: sender, subject: subject))
                #expect(![first.inquiry, second.inquiry].contains(filed.inquiry), "\(sender): \(subject)")
                #expect(try h.claim(filed.inquiry) == claimed, "\(sender): \(subject)")
                #expect(try h.flags(filed.message).contains(.threadClaim), "\(sender): \(subject)")
            }
        }
        // A verified tag of an inquiry in another mailbox does not cross mailboxes.
        let elsewhere = try h.filed(FilerHarness.mail(subject: "Re: " + tag), mailbox: "sales")
        #expect(elsewhere.inquiry != first.inquiry)
        #expect(try h.claim(elsewhere.inquiry) == first.inquiry)
        #expect(try h.count("SELECT count(*) FROM messages WHERE inquiry_id = ?", [.integer(first.inquiry)]) == 2)
    }

    /// Stores a sent reply of `inquiry` with Message-ID `id`, as the reply sender will.
    private func storeSentReply(_ id: String, inquiry: Int64, in h: FilerHarness) throws {
        let index = try #require(try Threading.messageIDIndex(id, keys: h.keys))
        try h.database.write { tx in
            var row = RowValues()
            row.set("inquiry_id", .integer(inquiry))
            row.set("mailbox_id", .integer(1))
            row.set("intake_id", .text("out:" + id))
            row.set("direction", "out")
            row.set("received_at", .integer(1_780_000_500))
            row.set("size", 10)
            row.set("message_id_index", .blob(index))
            try tx.insert(into: "messages", row)
        }
    }

    @Test("A25: an answer to our own outgoing Message-ID attaches whoever sends it; a forged one only claims")
    func threadsOnOutgoing() throws {
        let h = try FilerHarness()
        let first = try h.filed(FilerHarness.mail(messageID: "q@example.jp"))
        let sent = try Threading.outgoingMessageID(inquiryID: first.inquiry, host: "desk.example.com", keys: h.keys)
        try storeSentReply(sent, inquiry: first.inquiry, in: h)
        let bare = String(sent.dropFirst().dropLast())
        let answer = try h.filed(FilerHarness.mail(subject: "Re: 回答", inReplyTo: bare))
        #expect(answer.inquiry == first.inquiry)
        let forwarded = try h.filed(
            FilerHarness.mail(from: "boss@example.jp", subject: "Fwd: 回答", references: [bare, "unknown@x"]))
        #expect(forwarded.inquiry == first.inquiry)
        // A forged code, or our format for another inquiry number, only claims.
        let parts = bare.split(separator: "@")[0].split(separator: ".").map(String.init)
        let flipped = String(parts[2].dropLast()) + (parts[2].hasSuffix("Z") ? "Y" : "Z")
        let forgeries = [
            "madoguchi.\(first.inquiry).\(flipped).\(parts[3])@desk.example.com",
            "madoguchi.\(first.inquiry).AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAA@desk.example.com",
        ]
        for sender in ["taro@example.jp", "evil@attacker.example"] {
            for forged in forgeries {
                let filed = try h.filed(FilerHarness.mail(from: sender, subject: "Re: 回答", inReplyTo: forged))
                #expect(filed.inquiry != first.inquiry, "\(sender) \(forged)")
                #expect(try h.claim(filed.inquiry) == first.inquiry)
                #expect(try h.flags(filed.message).contains(.threadClaim))
            }
        }
        // A sent reply's Message-ID without our code (none are made so) attaches nothing.
        try storeSentReply("reply-1@desk.example.com", inquiry: first.inquiry, in: h)
        let plain = try h.filed(FilerHarness.mail(subject: "Re: 回答", inReplyTo: "reply-1@desk.example.com"))
        #expect(plain.inquiry != first.inquiry)
        #expect(try h.count("SELECT count(*) FROM messages WHERE inquiry_id = ?", [.integer(first.inquiry)]) == 5)
    }

    @Test("A25: forged In-Reply-To, References or tag pointing at another customer's thread start a new inquiry")
    func forgedReferences() throws {
        let h = try FilerHarness()
        let victim = try h.filed(FilerHarness.mail(from: "victim@example.jp", messageID: "secret@example.jp"))
        let attacks: [[UInt8]] = [
            FilerHarness.mail(from: "evil@attacker.example", inReplyTo: "secret@example.jp"),
            FilerHarness.mail(from: "evil@attacker.example", references: ["secret@example.jp"]),
            FilerHarness.mail(from: "evil@attacker.example", subject: "Re: [#\(victim.inquiry)]"),
            // Reusing the victim's own Message-ID does not join the victim's thread either.
            FilerHarness.mail(from: "evil@attacker.example", messageID: "secret@example.jp"),
        ]
        for attack in attacks {
            let filed = try h.filed(attack)
            #expect(filed.inquiry != victim.inquiry)
            // The new inquiry records which inquiry it claimed, for an operator to merge.
            #expect(try h.claim(filed.inquiry) == victim.inquiry)
            #expect(try h.flags(filed.message).contains(.threadClaim))
        }
        #expect(try h.count("SELECT count(*) FROM messages WHERE inquiry_id = ?", [.integer(victim.inquiry)]) == 1)
        // The attacker's later reply threads into the attacker's own inquiry, not the victim's.
        let own = try h.filed(FilerHarness.mail(from: "evil@attacker.example", inReplyTo: "secret@example.jp"))
        #expect(own.inquiry != victim.inquiry)
        // A mail without any From address never joins a thread.
        let anonymous = try h.filed(FilerHarness.mail(from: "undisclosed-recipients:;", inReplyTo: "secret@example.jp"))
        #expect(anonymous.inquiry != victim.inquiry)
    }

    @Test("the same Message-ID delivered again with other bytes joins its inquiry, flagged, nothing lost")
    func duplicateMessageID() throws {
        let h = try FilerHarness()
        let first = try h.filed(FilerHarness.mail(messageID: "dup@example.jp", body: "一回目"))
        let again = try h.filed(FilerHarness.mail(messageID: "dup@example.jp", body: "二回目"))
        #expect(again.inquiry == first.inquiry && again.message != first.message)
        let flags = MessageFlags(
            rawValue: try h.count("SELECT flags FROM messages WHERE id = ?", [.integer(again.message)]))
        #expect(flags.contains(.duplicateMessageID))
        #expect(try h.count("SELECT count(*) FROM inquiries") == 1)
    }

    @Test("re-filing the same intake id is a no-op")
    func refile() throws {
        let h = try FilerHarness()
        let raw = FilerHarness.mail()
        let envelope = SpoolEnvelope(
            intakeID: "support:t", mailbox: "support", source: "pop3:1", fetchedAt: 1_780_000_000, size: raw.count)
        guard case .filed = try h.filer.file(envelope: envelope, raw: raw) else {
            Issue.record("first filing")
            return
        }
        #expect(try h.filer.file(envelope: envelope, raw: raw) == .duplicate)
        #expect(try h.count("SELECT count(*) FROM messages") == 1)
        #expect(try h.count("SELECT count(*) FROM inquiries") == 1)
    }

    @Test("malformed mail is filed with its reason and raw bytes, in a new inquiry")
    func malformed() throws {
        var limits = MailLimits.standard
        limits.maxHeaderFields = 5
        let h = try FilerHarness(limits: limits)
        let raw = FilerHarness.mail(headers: (1...20).map { "X-Filler-\($0): x" })
        guard case .malformed(let inquiry, let message, let reason) = try h.file(raw) else {
            Issue.record("not malformed")
            return
        }
        #expect(!reason.isEmpty)
        #expect(try h.value("messages", message, "raw_enc") == .blob(raw))
        let stored = try h.database.read {
            try $0.rows("SELECT malformed_reason FROM messages WHERE id = ?", [.integer(message)]).first?
                .string("malformed_reason")
        }
        #expect(stored == reason)
        #expect(try h.count("SELECT count(*) FROM inquiries WHERE id = ?", [.integer(inquiry)]) == 1)
        // Garbage without any header structure is filed too.
        let garbage: [UInt8] = [0xFF, 0x00, 0x0A, 0x0A] + Array(repeating: 0x80, count: 100)
        let result = try h.file(garbage)
        switch result {
        case .filed(_, let id), .malformed(_, let id, _):
            #expect(try h.value("messages", id, "raw_enc") == .blob(garbage))
        case .duplicate: Issue.record("garbage not filed")
        }
    }

    @Test(
        "auto-responders, bounces, loops and lists are flagged so nothing answers them",
        arguments: [
            (["Auto-Submitted: auto-replied"], "x@example.jp", MessageFlags.autoSubmitted),
            (["Auto-Submitted: auto-generated; owner-email=x"], "x@example.jp", .autoSubmitted),
            (["X-Autoreply: yes"], "x@example.jp", .autoSubmitted),
            (["Precedence: bulk"], "x@example.jp", .bulk),
            (["Precedence: junk"], "x@example.jp", .bulk),
            (["Precedence: list"], "x@example.jp", .list),
            (["List-Id: <news.example.jp>"], "x@example.jp", .list),
            (["X-Loop: support@example.com"], "x@example.jp", .loop),
            (["Return-Path: <>"], "x@example.jp", .bounce),
            ([], "MAILER-DAEMON@mx.example.jp", .bounce),
            (["Auto-Submitted: no"], "x@example.jp", []),
            ([], "x@example.jp", []),
        ] as [([String], String, MessageFlags)])
    func flags(headers: [String], from: String, expected: MessageFlags) throws {
        let h = try FilerHarness()
        let message = try h.filed(FilerHarness.mail(from: from, headers: headers)).message
        let flags = MessageFlags(rawValue: try h.count("SELECT flags FROM messages WHERE id = ?", [.integer(message)]))
        #expect(flags == expected)
        #expect(flags.forbidsAutoReply == !expected.isEmpty)
    }

    @Test("one customer across address case, NFKC width and blanks")
    func customerReuse() throws {
        #expect(CustomerAddress.normalize(" ＴＡＲＯ＠Ｅｘａｍｐｌｅ．ｊｐ ") == "taro@example.jp")
        #expect(CustomerAddress.normalize("<Taro@EXAMPLE.jp>") == "taro@example.jp")
        #expect(CustomerAddress.normalize("  ") == nil)
        let h = try FilerHarness()
        let a = try h.filed(FilerHarness.mail(from: "Taro <Taro@Example.JP>"))
        let b = try h.filed(FilerHarness.mail(from: "taro@example.jp", subject: "別の件"))
        #expect(try h.count("SELECT count(*) FROM customers") == 1)
        let customers = try h.database.read {
            try $0.rows(
                "SELECT DISTINCT customer_id FROM inquiries WHERE id IN (?, ?)",
                [.integer(a.inquiry), .integer(b.inquiry)])
        }
        #expect(customers.count == 1)
        _ = try h.filed(FilerHarness.mail(from: "hanako@example.jp"))
        #expect(try h.count("SELECT count(*) FROM customers") == 2)
    }

    @Test(
        "a new customer message makes a done inquiry new again, keeps the other statuses, moves last_message_at",
        arguments: [
            ("done", "new"), ("in_progress", "in_progress"), ("awaiting_approval", "awaiting_approval"),
            ("trash", "trash"),
        ])
    func reopen(status: String, after: String) throws {
        let h = try FilerHarness()
        let first = try h.filed(FilerHarness.mail(messageID: "r@example.jp"))
        do {
            try h.database.write {
                try $0.run("UPDATE inquiries SET status = ? WHERE id = ?", [.text(status), .integer(first.inquiry)])
            }
            let reply = try h.filed(FilerHarness.mail(subject: "Re:", inReplyTo: "r@example.jp"))
            #expect(reply.inquiry == first.inquiry)
            let row = try #require(
                try h.database.read {
                    try $0.rows("SELECT status, last_message_at FROM inquiries WHERE id = ?", [.integer(first.inquiry)])
                        .first
                })
            #expect(row.string("status") == after, "from \(status)")
            #expect(row.int64("last_message_at") == (try h.count("SELECT max(received_at) FROM messages")))
        }
    }

    @Test("attachments are stored sealed with ordinal, size and hash")
    func attachments() throws {
        let h = try FilerHarness()
        let data = Array("%PDF-1.4 見積書".utf8)
        let raw = ClamdSamples.attachment(data, filename: "見積書.pdf", contentType: "application/pdf")
        let message = try h.filed(raw).message
        let rows = try h.database.read {
            try $0.rows(
                "SELECT id, ordinal, size, content_type FROM attachments WHERE message_id = ?", [.integer(message)])
        }
        let row = try #require(rows.first)
        #expect(rows.count == 1 && row.int64("ordinal") == 0 && row.int64("size") == Int64(data.count))
        #expect(row.string("content_type") == "application/pdf")
        let id = try #require(row.int64("id"))
        #expect(try h.value("attachments", id, "data_enc") == .blob(data))
        #expect(try h.value("attachments", id, "sha256_enc") == .blob(SHA256Hasher.hash(data)))
        #expect(try h.text("attachments", id, "filename_enc") == "見積書.pdf")
    }

    @Test("nothing of a filed message is on disk in clear (database, WAL), in any encoding")
    func noPlaintext() throws {
        let h = try FilerHarness()
        let sample = SampleMail()
        _ = try h.file(sample.rawMessage, mailbox: sample.mailboxName)
        _ = try h.file(
            ClamdSamples.attachment(
                sample.attachmentData, filename: sample.attachmentName, contentType: "application/pdf"))
        var needles: [PlaintextScanner.Needle] = []
        for (label, text) in sample.secrets { needles += PlaintextScanner.needles(for: text, label: label) }
        for file in [h.temp.path, h.temp.path + "-wal"] {
            let bytes = FileManager.default.contents(atPath: file).map { Array($0) } ?? []
            #expect(!bytes.isEmpty || file.hasSuffix("-wal"))
            let found = PlaintextScanner.findings(in: bytes, needles: needles)
            #expect(found.isEmpty, "\((file as NSString).lastPathComponent) leaks \(found)")
        }
        // Positive control: the clear mailbox name is there.
        let all =
            (FileManager.default.contents(atPath: h.temp.path).map { Array($0) } ?? [])
            + (FileManager.default.contents(atPath: h.temp.path + "-wal").map { Array($0) } ?? [])
        #expect(PlaintextScanner.contains(all, Array(sample.mailboxName.utf8)))
    }

    @Test("subject and body are in the search index in the same transaction; half-width and full-width find them")
    func searchIndexed() throws {
        let h = try FilerHarness()
        let first = try h.filed(FilerHarness.mail(subject: "請求書の再発行", body: "パスワードを忘れました ABC"))
        let htmlOnly = Array(
            """
            From: hanako@example.jp\r
            Subject: html\r
            Content-Type: text/html; charset=UTF-8\r
            \r
            <p>宛名を<b>変更</b>したい</p>\r

            """.utf8)
        let second = try h.filed(htmlOnly)
        #expect(try h.count("SELECT count(*) FROM message_search") == 2)
        let index = SearchIndex(keys: h.keys)
        func search(_ query: String) throws -> [Int64] {
            try h.database.read { try index.search(query, candidateLimit: 100, in: $0).messageIDs }
        }
        #expect(try search("請求書") == [first.message])
        #expect(try search("ﾊﾟｽﾜｰﾄﾞ") == [first.message])
        #expect(try search("ａｂｃ") == [first.message])
        #expect(try search("宛名を変更") == [second.message])
        #expect(try search("見積") == [])
    }

    @Test("quarantine stores the raw message sealed, audits in the same transaction and is purged after its days")
    func quarantine() throws {
        let h = try FilerHarness()
        let raw = FilerHarness.mail(subject: "ウイルス", body: "x")
        let envelope = SpoolEnvelope(
            intakeID: "support:t", mailbox: "support", source: "test", fetchedAt: 1_780_000_000, size: raw.count)
        let now = Date(timeIntervalSince1970: 1_780_000_100)
        guard
            case .quarantined(let id) = try h.filer.quarantine(
                envelope: envelope, raw: raw, virus: "Eicar-Test", now: now)
        else {
            Issue.record("not quarantined")
            return
        }
        #expect(try h.filer.quarantine(envelope: envelope, raw: raw, virus: "Eicar-Test", now: now) == .duplicate)
        #expect(try h.count("SELECT count(*) FROM messages") == 0)
        #expect(try h.count("SELECT count(*) FROM message_search") == 0)
        #expect(try h.value("quarantine", id, "raw_enc") == .blob(raw))
        let metadata = try #require(try h.text("quarantine", id, "metadata_enc"))
        #expect(metadata.contains("\"subject\":\"ウイルス\"") && metadata.contains("\"from\":\"taro@example.jp\""))
        let audit = try h.database.read {
            try $0.rows("SELECT actor, action, target, detail FROM audit ORDER BY seq")
        }
        #expect(audit.count == 1)
        #expect(audit.first?.string("actor") == "system:scan-and-file")
        #expect(audit.first?.string("target") == "quarantine:\(id)")
        #expect(audit.first?.string("detail") == #"{"virus":"Eicar-Test"}"#)
        // Kept for quarantine_days (30), then purged with an audit entry.
        #expect(try h.filer.purgeQuarantine(now: now.addingTimeInterval(29 * 86_400)) == 0)
        #expect(try h.filer.purgeQuarantine(now: now.addingTimeInterval(30 * 86_400)) == 1)
        #expect(try h.count("SELECT count(*) FROM quarantine") == 0)
        #expect(try h.count("SELECT count(*) FROM audit WHERE action = 'quarantine-purge'") == 1)
        // A filed intake id is never quarantined afterwards.
        let filed = FilerHarness.mail(body: "clean")
        let filedEnvelope = SpoolEnvelope(
            intakeID: "support:f", mailbox: "support", source: "t", fetchedAt: 1_780_000_000, size: filed.count)
        _ = try h.filer.file(envelope: filedEnvelope, raw: filed)
        #expect(try h.filer.quarantine(envelope: filedEnvelope, raw: filed, virus: "late", now: now) == .duplicate)
    }

    @Test(
        "A26: a From in an internal domain or a subdomain of one, and a Reply-To other than From, are flagged",
        arguments: [
            ("ceo@example.com", nil, MessageFlags.internalSender),
            ("CEO <Ceo@Mail.EXAMPLE.com>", nil, .internalSender),
            ("x@example.co.jp", nil, .internalSender),
            ("x@例え.jp", nil, .internalSender),
            // IDNs are compared as written: the A-label form is not listed.
            ("x@xn--r8jz45g.jp", nil, []),
            ("x@notexample.com", nil, []),
            ("x@example.com.attacker.example", nil, []),
            (#""ceo@example.com" <x@attacker.example>"#, nil, []),
            ("taro@example.jp", "Taro@EXAMPLE.jp", []),
            ("taro@example.jp", "Yamada <taro@example.jp>", []),
            ("taro@example.jp", "other@example.jp", .replyToDiffers),
            ("taro@example.jp", "taro@example.jp, other@example.jp", .replyToDiffers),
            ("ceo@example.com", "ceo@mail.attacker.example", [.internalSender, .replyToDiffers]),
        ] as [(String, String?, MessageFlags)])
    func senderFlags(from: String, replyTo: String?, expected: MessageFlags) throws {
        let h = try FilerHarness(internalDomains: ["example.com", "ＥＸＡＭＰＬＥ.co.jp", "例え.jp"])
        let raw = FilerHarness.mail(from: from, headers: replyTo.map { ["Reply-To: \($0)"] } ?? [])
        let filed = try h.filed(raw)
        #expect(try h.flags(filed.message) == expected)
        // Without internal_domains nothing is internal.
        let plain = try FilerHarness()
        #expect(!(try plain.flags(try plain.filed(raw).message).contains(.internalSender)))
    }

    @Test("A27: past intake_sender_limit in the sliding hour, a sender's new mail joins one flagged overflow inquiry")
    func senderLimit() throws {
        let h = try FilerHarness(senderLimit: 3)
        var firsts: [Int64] = []
        for number in 0..<3 {
            firsts.append(
                try h.filed(FilerHarness.mail(subject: "質問 \(number)", messageID: "q\(number)@example.jp")).inquiry)
        }
        #expect(Set(firsts).count == 3)
        let over = try (0..<4).map { try h.filed(FilerHarness.mail(subject: "続き \($0)")) }
        let overflow = over[0].inquiry
        #expect(!firsts.contains(overflow) && over.allSatisfy { $0.inquiry == overflow })
        #expect(
            try h.count("SELECT flags FROM inquiries WHERE id = ?", [.integer(overflow)])
                == InquiryFlags.senderOverflow.rawValue)
        for filed in over {
            #expect(try h.flags(filed.message).contains(.overSenderLimit))
            #expect(try h.flags(filed.message).forbidsAutoReply)
        }
        // A reply that threads still threads, over the limit too; other senders are not affected.
        let reply = try h.filed(FilerHarness.mail(subject: "Re: 質問 0", inReplyTo: "q0@example.jp"))
        #expect(reply.inquiry == firsts[0])
        #expect(!(try h.flags(reply.message).contains(.overSenderLimit)))
        let other = try h.filed(FilerHarness.mail(from: "hanako@example.jp"))
        #expect(!(try h.flags(other.message).contains(.overSenderLimit)))
        #expect(!firsts.contains(other.inquiry) && other.inquiry != overflow)
        // A done overflow inquiry is new again while the flood goes on.
        try h.database.write { try $0.run("UPDATE inquiries SET status = 'done' WHERE id = ?", [.integer(overflow)]) }
        #expect(try h.filed(FilerHarness.mail(subject: "まだ")).inquiry == overflow)
        #expect(
            try h.count("SELECT count(*) FROM inquiries WHERE id = ? AND status = 'new'", [.integer(overflow)]) == 1)
        // An hour after the last message, the sender starts new inquiries again.
        h.clock += Filer.senderLimitWindow
        let later = try h.filed(FilerHarness.mail(subject: "翌日の質問"))
        #expect(!firsts.contains(later.inquiry) && later.inquiry != overflow)
        #expect(!(try h.flags(later.message).contains(.overSenderLimit)))
        // Mail without a sender address counts as one sender.
        let anonymous = try (0..<4).map { _ in try h.filed(FilerHarness.mail(from: "undisclosed-recipients:;")) }
        #expect(Set(anonymous.map(\.inquiry)).count == 4)
        #expect(try h.flags(anonymous[3].message).contains(.overSenderLimit))
        #expect(!(try h.flags(anonymous[2].message).contains(.overSenderLimit)))
        // 0 turns the limit off.
        let unlimited = try FilerHarness(senderLimit: 0)
        let all = try (0..<40).map { _ in try unlimited.filed(FilerHarness.mail()).inquiry }
        #expect(Set(all).count == 40)
    }

    @Test(
        "A27: 10,000 near-identical mails from one sender: all stored, limit + 1 inquiries, growth linear in messages",
        .timeLimit(.minutes(2)))
    func flood() throws {
        let h = try FilerHarness()
        let limit = h.filer.senderLimit
        let total = 10_000
        let base = h.clock
        // Four a second: the whole flood arrives within 45 minutes, in batches as scan-and-file files them.
        func file(_ range: Range<Int>) throws {
            let batch = range.map { number -> (envelope: SpoolEnvelope, raw: [UInt8]) in
                let raw = FilerHarness.mail(
                    from: "Sales <bulk@attacker.example>", subject: "今すぐご確認ください",
                    messageID: "flood-\(number)@attacker.example", body: "同じ本文です。https://attacker.example/")
                let envelope = SpoolEnvelope(
                    intakeID: "support:flood-\(number)", mailbox: "support", source: "test",
                    fetchedAt: base + Int64(number / 4), size: raw.count)
                return (envelope, raw)
            }
            let results = try h.filer.file(
                batch, now: Date(timeIntervalSince1970: Double(base + Int64(range.upperBound / 4))))
            let filed = results.filter { if case .filed = $0 { true } else { false } }
            #expect(filed.count == range.count)
        }
        func pages() throws -> Int64 { try h.count("SELECT page_count FROM pragma_page_count()") }
        // CPU time of this thread (filing runs on it), not wall time: other processes
        // on a loaded machine do not count.
        func cpu() -> Double {
            var now = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
            return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        }
        let empty = try pages()
        let start = cpu()
        for chunk in stride(from: 0, to: total / 2, by: 250) { try file(chunk..<chunk + 250) }
        let half = try pages()
        let middle = cpu()
        for chunk in stride(from: total / 2, to: total, by: 250) { try file(chunk..<chunk + 250) }
        let full = try pages()
        let end = cpu()

        #expect(try h.count("SELECT count(*) FROM messages") == Int64(total))
        #expect(try h.count("SELECT count(*) FROM message_search") == Int64(total))
        #expect(try h.count("SELECT count(*) FROM customers") == 1)
        #expect(try h.count("SELECT count(*) FROM inquiries") == limit + 1)
        let overflow = try h.count("SELECT id FROM inquiries WHERE flags & 1 <> 0")
        #expect(try h.count("SELECT count(*) FROM inquiries WHERE flags & 1 <> 0") == 1)
        #expect(
            try h.count("SELECT count(*) FROM messages WHERE inquiry_id = ?", [.integer(overflow)]) == Int64(total)
                - limit)
        #expect(
            try h.count(
                "SELECT count(*) FROM messages WHERE flags & ? <> 0", [.integer(MessageFlags.overSenderLimit.rawValue)])
                == Int64(total) - limit)
        // The second 5,000 messages take no more room and hardly more time than the first
        // 5,000: nothing grows with the flood but the messages (a query walking the
        // sender's or the mailbox's messages would make the second half 3× slower).
        #expect(full - half <= (half - empty) + (half - empty) / 10, "pages: \(empty) → \(half) → \(full)")
        #expect(end - middle < 1.6 * (middle - start), "CPU seconds: \(middle - start), then \(end - middle)")
    }
}
