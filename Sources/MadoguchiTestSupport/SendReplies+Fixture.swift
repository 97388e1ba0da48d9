// SendReplies+Fixture (SendRepliesFixture): a real instance (AdminCommandFixture) with the
// mailbox `support` set up for replies, an operator, customer mail filed through the
// Filer, replies queued through the answering domain with their undo window already
// over, a runner for the built send-replies, and readers for what it recorded — for
// SendRepliesTests and SendRepliesCrashTests.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import Testing

/// An instance with queued replies and the built send-replies.
public final class SendRepliesFixture {
    /// The reply's From address of `support`.
    public static let fromAddress = "support@madoguchi.test"
    /// Its display name.
    public static let fromName = "サポート窓口"

    /// One queued reply and what it answers.
    public struct Queued: Sendable, Equatable {
        /// `replies.id`.
        public var reply: Int64
        /// Its inquiry.
        public var inquiry: Int64
        /// The customer message answered (`messages.id`).
        public var answered: Int64
        /// Our Message-ID, with angle brackets.
        public var messageID: String
        /// The customer message's Message-ID, with angle brackets.
        public var customerMessageID: String
        /// The subject and body as queued.
        public var subject: String
        public var body: String
    }

    /// The instance.
    public let admin: AdminCommandFixture
    /// The operator who writes the replies.
    public let actor: AnsweringActor
    /// The replies view (send_delay of the configuration).
    public let replies: Replies
    private let filer: Filer
    private var count = 0

    public var database: Database { admin.instance.database }
    public var configurationFile: String { admin.layout.configurationFile }

    /// An instance whose madoguchi.conf ends with `configuration` (the smtp_* lines).
    /// - Parameters:
    ///   - configuration: more madoguchi.conf lines.
    ///   - charset: the reply charset of `support`.
    /// - Throws: when the instance cannot be made.
    public init(configuration: String, charset: MailboxReplySettings.Charset = .utf8) throws {
        admin = try AdminCommandFixture(extraConfiguration: configuration)
        let instance = admin.instance
        filer = Filer(database: instance.database, keys: instance.keys, log: Log(program: "send-replies-test"))
        replies = Replies(keys: instance.keys, configuration: Replies.Configuration(admin.configuration))
        let now = JobRun.now()
        let user = try instance.database.write { tx in
            let mailbox = try Mailboxes.create("support", in: tx, now: now).id
            try Mailboxes.setReplySettings(
                mailbox: mailbox,
                MailboxReplySettings.Change(
                    charset: charset, fromAddress: Self.fromAddress, fromName: Self.fromName, signature: .some(nil)),
                now: now, in: tx)
            var values = RowValues()
            values.set("login", "yamada")
            values.set("display_name", "山田 太郎")
            values.set("password_hash", "unusable")
            values.set("role", .text(Role.operator.name))
            values.set("created_at", .integer(now))
            values.set("password_changed_at", .integer(now))
            return try tx.insert(into: "users", values)
        }
        actor = AnsweringActor(
            userID: user, displayName: "山田 太郎", role: .operator, audit: AccessActor(actor: "yamada"))
    }

    /// Files a customer message from `customer` and queues a reply to it whose undo
    /// window ended `ago` seconds before now (send_delay has passed).
    /// - Parameters:
    ///   - customer: the customer's address (the reply's only recipient).
    ///   - subject: the customer's subject; the reply's is `Re: ` with the inquiry tag.
    ///   - body: the reply's body.
    ///   - attachments: the reply's attachments (name, type, bytes), stored as scanned clean.
    ///   - ago: seconds since the undo window ended.
    /// - Returns: the queued reply.
    /// - Throws: when filing or queueing fails.
    @discardableResult
    public func queue(
        customer: String, subject: String = "お見積りのお願い", body: String,
        attachments: [(String, String, [UInt8])] = [], ago: Int64 = 120
    ) throws -> Queued {
        count += 1
        let customerID = "<c\(count).\(UInt32.random(in: 0...UInt32.max))@customer.example>"
        let mail =
            "From: =?UTF-8?B?\(Data("顧客 \(count)".utf8).base64EncodedString())?= <\(customer)>\r\n"
            + "To: \(Self.fromAddress)\r\nSubject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=\r\n"
            + "Message-ID: \(customerID)\r\nReferences: <root\(count)@customer.example>\r\n"
            + "Date: Thu, 3 Dec 2026 09:00:00 +0900\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\nお見積りをお願いします。\r\n"
        let now = JobRun.now()
        let queuedAt = now - ago - replies.configuration.sendDelay
        let envelope = SpoolEnvelope(
            intakeID: "support:test-\(count)", mailbox: "support", source: "test", fetchedAt: queuedAt - 60,
            size: mail.utf8.count)
        guard
            case .filed(let inquiry, let message) = try filer.file(
                envelope: envelope, raw: Array(mail.utf8), now: Date(timeIntervalSince1970: Double(queuedAt - 60)))
        else { throw TestToolError("the customer mail was not filed") }
        let draft = try database.write { tx in
            try replies.start(
                inquiry: inquiry, actor: actor, language: .ja, timeZone: TimeZone(identifier: "Asia/Tokyo")!,
                now: queuedAt, in: tx)
        }
        for (name, type, data) in attachments {
            try ReplyAttachments.add(
                to: draft.id, filename: name, contentType: type, data: data, replies: replies, actor: actor,
                scanner: { _ in .clean }, in: database, now: queuedAt)
        }
        let reply = try database.write { tx -> Reply in
            let saved = try replies.save(
                draft: draft.id, version: draft.version, subject: draft.subject ?? "", body: body, statusAfter: .done,
                actor: actor, now: queuedAt, in: tx)
            return try replies.send(draft: saved.id, actor: actor, now: queuedAt, in: tx)
        }
        return Queued(
            reply: reply.id, inquiry: inquiry, answered: message, messageID: try #require(reply.messageID),
            customerMessageID: customerID, subject: try #require(reply.subject), body: body)
    }

    /// Runs the built send-replies with this instance's configuration.
    /// - Parameters:
    ///   - arguments: more arguments (e.g. `-v`).
    ///   - environment: more variables (e.g. `MADOGUCHI_CRASH_AT`).
    /// - Returns: the outcome; killed runs have `killed` set.
    /// - Throws: when the program cannot be started.
    public func run(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> BuiltProgram.Outcome {
        try BuiltProgram.run(
            "send-replies", ["--config", configurationFile] + arguments, environment: environment,
            separateErrors: true, timeLimit: 50)
    }

    /// A reply's state.
    public func state(_ reply: Int64) throws -> String? {
        try database.read {
            try $0.rows("SELECT state FROM replies WHERE id = ?", [.integer(reply)]).first?.string("state")
        }
    }

    /// A reply's columns.
    public func row(_ reply: Int64) throws -> Row? {
        try database.read { try $0.fetch("replies", id: reply, columns: Self.replyColumns) }
    }

    static let replyColumns = [
        "state", "attempts", "next_attempt_at", "attempt_at", "sent_at", "last_error_enc", "updated_at",
    ]

    /// The kinds of an inquiry's events, oldest first.
    public func events(_ inquiry: Int64) throws -> [String] {
        try database.read { tx in
            try tx.rows("SELECT kind FROM inquiry_events WHERE inquiry_id = ? ORDER BY id", [.integer(inquiry)])
                .compactMap { $0.string("kind") }
        }
    }

    /// The audit entries about a reply (`action`), oldest first.
    public func audit(reply: Int64) throws -> [String] {
        try admin.audit().filter { $0.string("target") == "reply:\(reply)" }.compactMap { $0.string("action") }
    }

    /// The `messages` rows of direction `out` of an inquiry (`reply_id`, `intake_id`).
    public func outMessages(_ inquiry: Int64) throws -> [(reply: Int64?, intake: String?)] {
        try database.read { tx in
            try tx.rows(
                "SELECT reply_id, intake_id FROM messages WHERE inquiry_id = ? AND direction = 'out' ORDER BY id",
                [.integer(inquiry)]
            ).map { ($0.int64("reply_id"), $0.string("intake_id")) }
        }
    }

    /// The inquiry's status.
    public func status(_ inquiry: Int64) throws -> String? {
        try database.read {
            try $0.rows("SELECT status FROM inquiries WHERE id = ?", [.integer(inquiry)]).first?.string("status")
        }
    }

    /// The newest send-replies run.
    public func lastRun() throws -> JobRunRecord? {
        try JobRun.latest(program: "send-replies", connection: database.connection)
    }
}
