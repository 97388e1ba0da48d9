// RepliesBenchmark: `madoguchi-bench replies config count login` fills an instance's
// outbox for Tests/Benchmarks/send-replies.sh through the answering domain: the mailbox
// `support` (ISO-2022-JP replies from support@madoguchi.test), written by `login`, `count`
// customer mails (customerN@discard.test) filed with the Filer, and a reply of about
// 3 KB of Japanese to each, queued with its undo window already over.
// `madoguchi-bench replies-export config directory` writes every sent reply's message
// as send-replies sent it (messages.raw_enc) to `directory/NNNNN.eml`, for msmtp.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

enum RepliesBenchmark {
    static func run(_ arguments: [String]) throws {
        guard arguments.count == 3, let count = Int(arguments[1]) else {
            print("usage: madoguchi-bench replies config count login")
            exit(64)
        }
        let configuration = try Configuration.load(path: arguments[0])
        let instance = try InstanceDatabase.open(configuration: configuration)
        let database = instance.database
        let replies = Replies(keys: instance.keys, configuration: Replies.Configuration(configuration))
        let filer = Filer(
            database: database, keys: instance.keys, log: Log(program: "madoguchi-bench"), senderLimit: Int64(count))
        let now = JobRun.now() - 3600
        let user = try database.write { tx -> UserAccount in
            let mailbox = try Mailboxes.create("support", in: tx, now: now).id
            try Mailboxes.setReplySettings(
                mailbox: mailbox,
                MailboxReplySettings.Change(
                    charset: .iso2022jp, fromAddress: "support@madoguchi.test", fromName: "サポート窓口",
                    signature: .some("--\n株式会社窓口 サポート窓口")), now: now, in: tx)
            guard let user = try Users.find(login: arguments[2], in: tx) else {
                preconditionFailure("no user \(arguments[2]): madoguchi user add first")
            }
            return user
        }
        let actor = AnsweringActor(
            userID: user.id, displayName: user.displayName, role: Role.resolve(user.roleName),
            audit: AccessActor(actor: user.login))
        let line = "いつも株式会社窓口をご利用いただき、誠にありがとうございます。お問い合わせの件について回答いたします。\n"
        let body = "お客様各位\n\n" + (1...17).map { "\($0). \(line)" }.joined()
        for n in 0..<count {
            let mail =
                "From: customer\(n)@discard.test\r\nTo: support@madoguchi.test\r\nSubject: お問い合わせ \(n)\r\n"
                + "Message-ID: <\(n).customer@discard.test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nお見積りをお願いします。\r\n"
            let envelope = SpoolEnvelope(
                intakeID: "support:bench-\(n)", mailbox: "support", source: "bench", fetchedAt: now,
                size: mail.utf8.count)
            guard
                case .filed(let inquiry, _) = try filer.file(
                    envelope: envelope, raw: Array(mail.utf8), now: Date(timeIntervalSince1970: Double(now)))
            else { preconditionFailure("customer mail \(n) was not filed") }
            try database.write { tx in
                let draft = try replies.start(
                    inquiry: inquiry, actor: actor, language: .ja, timeZone: TimeZone(identifier: "Asia/Tokyo")!,
                    now: now, in: tx)
                let saved = try replies.save(
                    draft: draft.id, version: draft.version, subject: draft.subject ?? "", body: body,
                    statusAfter: .done, actor: actor, now: now, in: tx)
                try replies.send(draft: saved.id, actor: actor, now: now, in: tx)
            }
        }
        print("queued \(count) replies")
    }

    static func export(_ arguments: [String]) throws {
        guard arguments.count == 2 else {
            print("usage: madoguchi-bench replies-export config directory")
            exit(64)
        }
        let instance = try InstanceDatabase.open(configuration: try Configuration.load(path: arguments[0]))
        let rows = try instance.database.read { tx in
            try tx.rows("SELECT id FROM messages WHERE direction = 'out' ORDER BY id").compactMap { row in
                try row.int64("id").flatMap { try tx.fetch("messages", id: $0, columns: ["raw_enc"])?.blob("raw_enc") }
            }
        }
        for (n, raw) in rows.enumerated() {
            let name = String(n + 100_000).dropFirst()
            guard FileManager.default.createFile(atPath: "\(arguments[1])/\(name).eml", contents: Data(raw)) else {
                preconditionFailure("cannot write \(arguments[1])/\(name).eml")
            }
        }
        print("exported \(rows.count) messages")
    }
}
