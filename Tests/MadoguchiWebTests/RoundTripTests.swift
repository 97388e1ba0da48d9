// The whole round trip of issue 10 with every real part: a customer's mail sits in
// the forwarded mailbox (Dovecot), the built fetch-forwarded-mail and scan-and-file
// (real clamd) file it, an operator answers it in headless Chromium with an attachment,
// the undo window passes, the built send-replies hands the reply to Postfix on loopback,
// Postfix delivers it into the customer's Maildir beside Dovecot's, and the customer
// (Python's `email`, Tests/Browser/round_trip.py) reads subject, body, attachment and
// headers exactly: one reply in UTF-8, one after `madoguchi mailbox set --charset
// iso-2022-jp`. The customer answers through Postfix into the forwarded mailbox; the
// answer is fetched, filed and lands in the same inquiry. Needs root (Postfix).

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct RoundTripTests {
    static let password = "Round-Trip-Passw0rd"
    static let customer = "customer"

    /// A customer's inquiry as it arrives in the forwarded mailbox.
    static func inquiry(_ number: Int, subject: String, text: String) -> [UInt8] {
        let name = Data("佐藤 一郎".utf8).base64EncodedString()
        let encoded = Data(subject.utf8).base64EncodedString()
        let body = Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn])
        return Array(
            ("From: =?UTF-8?B?\(name)?= <\(customer)@\(PostfixServer.mailDomain)>\r\nTo: support@example.com\r\n"
                + "Subject: =?UTF-8?B?\(encoded)?=\r\nMessage-ID: <inquiry-\(number)@customer.example>\r\n"
                + "Date: Thu, 03 Dec 2026 09:00:00 +0900\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\(body)\r\n")
                .utf8)
    }

    @Test(
        "customer mail → fetch → file → reply in Chromium → undo window → send-replies → Postfix → the customer reads it (UTF-8, ISO-2022-JP) → the answer threads back",
        .timeLimit(.minutes(5)))
    func roundTrip() throws {
        try BrowserTools.check()
        let certificates = try TestCertificates()
        let dovecot = try DovecotServer(certificates: certificates)
        defer { dovecot.stop() }
        let postfix = try PostfixServer(dovecot: dovecot, certificates: certificates, otherMailboxes: [Self.customer])
        defer { postfix.stop() }
        let clamdDirectory = try TemporaryDirectory()
        let clamd = try ClamdServer.start(in: clamdDirectory)
        defer { clamd.stop() }

        let directory = try TemporaryDirectory(prefix: "madoguchi-round-trip")
        let root = directory.file("instance")
        let made = try BuiltProgram.run("madoguchi", ["init", "--dir", root])
        try #require(made.status == 0, "\(made.output)")
        let config = InstanceLayout(root: root, workingDirectory: "/").configurationFile
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: config))
        try handle.seekToEnd()
        try handle.write(
            contentsOf: Data(
                """
                clamd_address = \(clamd.address)
                password_hash_cost = 10
                send_delay = 3s
                smtp_relay = 127.0.0.1:\(postfix.plainPort)
                smtp_tls = none
                smtp_helo_name = madoguchi.test

                """.utf8))
        try handle.close()
        func madoguchi(_ arguments: [String], input: String? = nil) throws {
            let run = try BuiltProgram.run("madoguchi", ["--config", config] + arguments, input: input, timeLimit: 60)
            #expect(run.status == 0, "madoguchi \(arguments.joined(separator: " ")): \(run.output)")
        }
        try madoguchi(
            [
                "mailbox", "add", "--name", "support", "--protocol", "imap", "--host", "localhost", "--port",
                "\(dovecot.port(.imap, .implicit))", "--tls", "implicit", "--user", dovecot.user, "--password-stdin",
                "--ca-file", certificates.caFile,
            ], input: dovecot.password + "\n")
        try madoguchi([
            "mailbox", "set", "support", "--reply-from", "support@example.com", "--reply-from-name", "サンプル株式会社 サポート",
        ])
        let configuration = try Configuration.load(path: config)
        let instance = try InstanceDatabase.open(configuration: configuration)
        _ = try Users(database: instance.database, hasher: try PasswordHasher(configuration: configuration)).add(
            login: "yamada", displayName: "山田 花子", role: "operator", password: Self.password,
            by: AccessActor(actor: "cli:test"), now: Int64(Date().timeIntervalSince1970))

        // Two inquiries arrive and are filed.
        try dovecot.deliver(
            Self.inquiry(1, subject: "請求書の再発行について", text: "先月の請求書を再発行してください。\n宛名は経理部でお願いします。"),
            name: "1780000001.M1P1.round-trip")
        try dovecot.deliver(
            Self.inquiry(2, subject: "納品日のご相談", text: "納品日を来週に変更できますか。"), name: "1780000002.M2P1.round-trip")
        let fetched = try BuiltProgram.run("fetch-forwarded-mail", ["--config", config], timeLimit: 60)
        try #require(fetched.status == 0, "fetch-forwarded-mail: \(fetched.output)")
        let filed = try BuiltProgram.run("scan-and-file", ["--config", config], timeLimit: 60)
        try #require(filed.status == 0, "scan-and-file: \(filed.output)")
        let inquiries = try instance.database.read { tx in
            try tx.rows("SELECT id FROM inquiries ORDER BY id").compactMap { $0.int64("id") }
        }
        try #require(inquiries.count == 2, "two inquiries filed: \(inquiries)")

        let web = try BrowserTools.startWeb(
            name: "round-trip", configuration: config, extraConfiguration: "", directory: directory)
        defer { web.process.terminate() }
        let home = directory.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let description = directory.file("scene.json")
        let programs = BuiltProgram.directory
        let scene: [String: Any] = [
            "base_url": "https://127.0.0.1:\(web.port)", "listener_port": Int(try FakeServer.freePort()),
            "operator": ["login": "yamada", "password": Self.password, "name": "山田 花子"],
            "inquiries": [
                ["id": inquiries[0], "message_id": "<inquiry-1@customer.example>", "charset": "utf-8"],
                ["id": inquiries[1], "message_id": "<inquiry-2@customer.example>", "charset": "iso-2022-jp"],
            ],
            "reply_from": "support@example.com", "customer": "\(Self.customer)@\(PostfixServer.mailDomain)",
            "customer_maildir": postfix.maildir(of: Self.customer), "company_maildir": dovecot.maildir,
            "company_address": postfix.mailbox, "smtp_port": Int(postfix.plainPort), "send_delay": 3,
            "commands": [
                "send": [programs + "/send-replies", "--config", config],
                "fetch": [programs + "/fetch-forwarded-mail", "--config", config],
                "file": [programs + "/scan-and-file", "--config", config],
                "charset": [programs + "/madoguchi", "--config", config, "mailbox", "set", "support", "--charset"],
            ],
        ]
        try JSONSerialization.data(withJSONObject: scene, options: [.prettyPrinted, .sortedKeys]).write(
            to: URL(fileURLWithPath: description))
        try BrowserTools.runScript(
            "round_trip.py", description: description, home: home, output: try BrowserTools.screenshots(),
            servers: [web], timeout: 240)

        // The database agrees: still two inquiries, each with the customer's mail, our
        // sent reply and the customer's answer, in that order.
        let threads = try instance.database.read { tx in
            try inquiries.map { id in
                try tx.rows("SELECT direction FROM messages WHERE inquiry_id = ? ORDER BY id", [.integer(id)])
                    .compactMap { $0.string("direction") }
            }
        }
        let count = try instance.database.read { try $0.rows("SELECT count(*) AS n FROM inquiries").first?.int64("n") }
        #expect(count == 2, "the answers opened no new inquiry")
        #expect(threads == [["in", "out", "in"], ["in", "out", "in"]], "\(threads)\n\(postfix.log())")
    }
}
