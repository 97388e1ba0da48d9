// ReplyTemplate: one reply template (定型文) as the editor lists it — global or of one
// mailbox, with its decrypted subject and body.
// SECURITY: the texts are company text that goes to customers once rendered; stored
// sealed like replies.

/// One reply template.
public struct ReplyTemplate: Sendable, Equatable {
    /// `reply_templates.id`.
    public var id: Int64
    /// The mailbox it belongs to (`mailboxes.id`), or nil for every mailbox.
    public var mailboxID: Int64?
    /// That mailbox's name, or nil for a global template.
    public var mailboxName: String?
    /// The name shown in the editor's menu (unique per mailbox).
    public var name: String
    /// The subject to use, or nil to keep the reply's.
    public var subject: String?
    /// The body, with placeholders (`ReplyTemplates.Placeholder`).
    public var body: String
    /// Who made it (`users.id`), or nil.
    public var createdBy: Int64?
    /// Unix time it was made.
    public var createdAt: Int64
    /// Unix time it was last changed.
    public var updatedAt: Int64

    /// Creates a value.
    public init(
        id: Int64, mailboxID: Int64?, mailboxName: String?, name: String, subject: String?, body: String,
        createdBy: Int64?, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.mailboxID = mailboxID
        self.mailboxName = mailboxName
        self.name = name
        self.subject = subject
        self.body = body
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
