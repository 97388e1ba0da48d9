// Replies+Fixture (ReplyHarness): a FilerHarness with operator accounts, a mailbox set up
// for replies (From address, signature, optional approval), the Replies and Outbox views
// over it and an injected clock — for the answering tests.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiStore
import Testing

/// A database for reply tests.
public final class ReplyHarness {
    /// The filing side (keys, filer, the `support` and `sales` mailboxes).
    public let filing: FilerHarness
    /// The replies view.
    public let replies: Replies
    /// The outbox view.
    public let outbox: Outbox
    /// The reply settings (send_delay 60 s).
    public let configuration: Replies.Configuration

    public var database: Database { filing.database }

    /// A harness; `support` gets `support@example.com` as its From address and a signature.
    public init(configuration: Replies.Configuration = Replies.Configuration()) throws {
        filing = try FilerHarness()
        self.configuration = configuration
        replies = Replies(keys: filing.keys, configuration: configuration)
        outbox = Outbox(keys: filing.keys, configuration: configuration)
        try configureMailbox(
            "support", from: "support@example.com", name: "サポート窓口", signature: "--\n株式会社サンプル サポート窓口")
    }

    /// Sets a mailbox's reply settings directly (as `madoguchi mailbox set` will).
    public func configureMailbox(
        _ name: String, from: String?, name fromName: String? = nil, signature: String? = nil, approval: Bool = false,
        charset: String = "utf-8"
    ) throws {
        try database.write { tx in
            guard let id = try Mailboxes.id(named: name, in: tx) else { throw CancellationError() }
            var values = RowValues()
            values.set("reply_from", .optional(from))
            values.set("reply_from_name", .optional(fromName))
            values.set("approval_required", .integer(approval ? 1 : 0))
            values.set("reply_charset", .text(charset))
            values.seal("signature_enc", signature)
            try tx.update("mailboxes", id: id, values)
        }
    }

    /// Adds an account (no usable password) and returns its actor.
    public func user(_ login: String, name: String, role: Role = .operator) throws -> AnsweringActor {
        let id = try database.write { tx in
            var values = RowValues()
            values.set("login", .text(login))
            values.set("display_name", .text(name))
            values.set("password_hash", .text("unusable"))
            values.set("role", .text(role.name))
            values.set("created_at", .integer(filing.clock))
            values.set("password_changed_at", .integer(filing.clock))
            return try tx.insert(into: "users", values)
        }
        return AnsweringActor(userID: id, displayName: name, role: role, audit: AccessActor(actor: login))
    }

    /// Runs `body` in a write transaction.
    @discardableResult
    public func write<T>(_ body: (DatabaseTransaction) throws -> T) throws -> T {
        try database.write(body)
    }

    /// The kinds of an inquiry's events, oldest first.
    public func events(_ inquiry: Int64) throws -> [String] {
        try database.read { tx in
            try tx.rows("SELECT kind FROM inquiry_events WHERE inquiry_id = ? ORDER BY id", [.integer(inquiry)])
                .compactMap { $0.string("kind") }
        }
    }

    /// The audit actions, oldest first.
    public func auditActions() throws -> [String] {
        try database.read { tx in
            try tx.rows("SELECT action FROM audit ORDER BY seq").compactMap { $0.string("action") }
        }
    }

    /// An inquiry's status.
    public func status(_ inquiry: Int64) throws -> String? {
        try database.read {
            try $0.rows("SELECT status FROM inquiries WHERE id = ?", [.integer(inquiry)]).first?.string("status")
        }
    }
}
