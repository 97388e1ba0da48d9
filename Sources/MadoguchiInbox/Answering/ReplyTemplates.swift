// ReplyTemplates: the reply templates — made, changed and deleted by users with
// `manage_templates` (each with its audit entry in the same transaction), listed and
// used by anyone with `reply` — and their rendering.
// Placeholders are `{name}` with the names of `Placeholder`; rendering is one pass, so a
// value that contains `{…}` (a customer named "{inquiry_number}") is never expanded
// again, and an unknown name or one without a value stays as typed.

import Foundation
import MadoguchiStore

/// Reply templates.
public enum ReplyTemplates {
    /// The longest template name, in characters (the schema's CHECK).
    public static let maximumNameLength = 100
    /// The longest subject, in characters.
    public static let maximumSubjectLength = 200
    /// The longest body, in characters.
    public static let maximumBodyLength = 20_000

    /// What a template can name: `{customer_name}`, `{inquiry_number}`,
    /// `{operator_name}`, `{mailbox_name}`.
    public enum Placeholder: String, Sendable, CaseIterable {
        /// The customer's display name as the thread shows it (never the pseudonym,
        /// which is internal: without a known name the placeholder stays).
        case customerName = "customer_name"
        /// The inquiry's number (`inquiries.id`, as the page shows it after `#`).
        case inquiryNumber = "inquiry_number"
        /// The replying operator's display name.
        case operatorName = "operator_name"
        /// The mailbox's name.
        case mailboxName = "mailbox_name"
    }

    /// Makes a template, with a `template-add` entry.
    /// - Parameters:
    ///   - name: 1 to `maximumNameLength` characters, trimmed, no control characters;
    ///     unique in its mailbox (or among the global templates).
    ///   - mailbox: the mailbox (`mailboxes.id`), or nil for every mailbox.
    ///   - subject: a subject, or nil/blank for none.
    ///   - body: the text (trimmed, CRLF as LF, at most `maximumBodyLength` characters).
    ///   - actor: who makes it (needs `manage_templates`).
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Returns: the template's id.
    /// - Throws: `AnsweringError`, `InquiryError.notFound` (no such mailbox), `StoreError`, `CryptoError`.
    @discardableResult
    public static func create(
        name: String, mailbox: Int64?, subject: String?, body: String, by actor: AnsweringActor, now: Int64,
        in tx: DatabaseTransaction
    ) throws -> Int64 {
        try actor.require(.manageTemplates)
        let fields = try Fields(name: name, subject: subject, body: body)
        if let mailbox, try tx.rows("SELECT 1 FROM mailboxes WHERE id = ?", [.integer(mailbox)]).isEmpty {
            throw InquiryError.notFound("mailbox \(mailbox)")
        }
        try checkUnique(fields.name, mailbox: mailbox, except: nil, in: tx)
        var values = RowValues()
        values.set("mailbox_id", .optional(mailbox))
        values.set("name", .text(fields.name))
        values.seal("subject_enc", fields.subject)
        values.seal("body_enc", fields.body)
        values.set("created_by", .integer(actor.userID))
        values.set("created_at", .integer(now))
        values.set("updated_at", .integer(now))
        let id = try tx.insert(into: "reply_templates", values)
        var detail: [String: String] = [:]
        detail["mailbox"] = mailbox.map(String.init)
        try AuditLog.append(
            actor.audit.event(
                .templateAdd, target: "template:\(id)", detail: detail.isEmpty ? nil : AuditDetail.words(detail)),
            in: tx, now: InquiryWork.date(now))
        return id
    }

    /// Changes a template's name, subject and body (its mailbox stays), with a
    /// `template-change` entry.
    /// - Parameters: as `create`, and `id` the template.
    /// - Throws: `AnsweringError` (also `.unknownTemplate`), `StoreError`, `CryptoError`.
    public static func update(
        _ id: Int64, name: String, subject: String?, body: String, by actor: AnsweringActor, now: Int64,
        in tx: DatabaseTransaction
    ) throws {
        try actor.require(.manageTemplates)
        let fields = try Fields(name: name, subject: subject, body: body)
        guard let row = try tx.rows("SELECT mailbox_id FROM reply_templates WHERE id = ?", [.integer(id)]).first else {
            throw AnsweringError.unknownTemplate(id)
        }
        try checkUnique(fields.name, mailbox: row.int64("mailbox_id"), except: id, in: tx)
        var values = RowValues()
        values.set("name", .text(fields.name))
        values.seal("subject_enc", fields.subject)
        values.seal("body_enc", fields.body)
        values.set("updated_at", .integer(now))
        try tx.update("reply_templates", id: id, values)
        try AuditLog.append(
            actor.audit.event(.templateChange, target: "template:\(id)"), in: tx, now: InquiryWork.date(now))
    }

    /// Deletes a template, with a `template-delete` entry.
    /// - Throws: `AnsweringError` (`.notPermitted`, `.unknownTemplate`), `StoreError`.
    public static func delete(_ id: Int64, by actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction) throws {
        try actor.require(.manageTemplates)
        guard try tx.run("DELETE FROM reply_templates WHERE id = ?", [.integer(id)]) == 1 else {
            throw AnsweringError.unknownTemplate(id)
        }
        try AuditLog.append(
            actor.audit.event(.templateDelete, target: "template:\(id)"), in: tx, now: InquiryWork.date(now))
    }

    /// The templates for replies from one mailbox — its own first, then the global ones,
    /// each by name — or, with `mailbox` nil, every template (global first, then by
    /// mailbox name). Needs `reply` or `manage_templates`.
    /// - Throws: `AnsweringError.notPermitted`, `StoreError`, `CryptoError`.
    public static func list(mailbox: Int64?, by actor: AnsweringActor, in tx: DatabaseTransaction) throws
        -> [ReplyTemplate]
    {
        if !actor.role.permits(.manageTemplates) { try actor.require(.reply) }
        let condition = mailbox == nil ? "1" : "(t.mailbox_id = ? OR t.mailbox_id IS NULL)"
        let order = mailbox == nil ? "t.mailbox_id IS NOT NULL, mb.name" : "t.mailbox_id IS NULL"
        return try tx.rows(
            """
            SELECT t.id, t.mailbox_id, mb.name AS mailbox_name, t.name, t.subject_enc, t.body_enc, t.created_by,
                   t.created_at, t.updated_at
            FROM reply_templates t LEFT JOIN mailboxes mb ON mb.id = t.mailbox_id
            WHERE \(condition) ORDER BY \(order), t.name, t.id
            """, mailbox.map { [.integer($0)] } ?? []
        ).map { row in
            let id = row.int64("id") ?? 0
            return ReplyTemplate(
                id: id, mailboxID: row.int64("mailbox_id"), mailboxName: row.string("mailbox_name"),
                name: row.string("name") ?? "",
                subject: try tx.openString(
                    row["subject_enc"], table: "reply_templates", column: "subject_enc", row: id),
                body: try tx.openString(row["body_enc"], table: "reply_templates", column: "body_enc", row: id) ?? "",
                createdBy: row.int64("created_by"), createdAt: row.int64("created_at") ?? 0,
                updatedAt: row.int64("updated_at") ?? 0)
        }
    }

    /// `text` with every `{name}` of a `Placeholder` that has a value replaced by it, in
    /// one pass: values are not scanned again, unknown names and names without a value
    /// stay as typed.
    public static func render(_ text: String, values: [Placeholder: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest.index(after: open)
            if let close = rest[after...].firstIndex(of: "}"),
                let placeholder = Placeholder(rawValue: String(rest[after..<close])), let value = values[placeholder]
            {
                out += value
                rest = rest[rest.index(after: close)...]
            } else {
                out.append("{")
                rest = rest[after...]
            }
        }
        return out + rest
    }

    /// A template's subject and body rendered with `values`.
    public static func render(_ template: ReplyTemplate, values: [Placeholder: String]) -> (
        subject: String?, body: String
    ) {
        (template.subject.map { render($0, values: values) }, render(template.body, values: values))
    }

    /// The placeholder values for replying on `thread` as `operatorName`. The customer's
    /// name is the one the thread shows every operator: the display name of the latest
    /// message from the customer, else the customer's name when revealed; never the
    /// pseudonym (internal; it must not reach the customer), so without a name
    /// `{customer_name}` stays for the operator to fill in.
    public static func values(for thread: InquiryThread, operatorName: String) -> [Placeholder: String] {
        var values: [Placeholder: String] = [
            .inquiryNumber: String(thread.inquiry.id), .operatorName: operatorName,
            .mailboxName: thread.inquiry.mailbox,
        ]
        let fromName = thread.messages.last { $0.direction == "in" && !($0.fromName ?? "").isEmpty }?.fromName
        if let name = fromName ?? thread.inquiry.customerName, !name.isEmpty { values[.customerName] = name }
        return values
    }

    /// A template's checked name, subject and body.
    private struct Fields {
        var name: String
        var subject: String?
        var body: String

        init(name: String, subject: String?, body: String) throws {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= ReplyTemplates.maximumNameLength,
                !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
            else { throw AnsweringError.invalidTemplateName }
            self.name = trimmed
            self.body = try InquiryWork.cleanText(body, maximum: ReplyTemplates.maximumBodyLength)
            let subjectText = subject?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if subjectText.isEmpty {
                self.subject = nil
            } else {
                guard subjectText.count <= ReplyTemplates.maximumSubjectLength else {
                    throw AnsweringError.textTooLong(maximum: ReplyTemplates.maximumSubjectLength)
                }
                guard !subjectText.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                    throw AnsweringError.controlCharacters
                }
                self.subject = subjectText
            }
        }
    }

    private static func checkUnique(_ name: String, mailbox: Int64?, except id: Int64?, in tx: DatabaseTransaction)
        throws
    {
        let clash = try tx.rows(
            "SELECT id FROM reply_templates WHERE coalesce(mailbox_id, 0) = ? AND name = ? AND id <> ?",
            [.integer(mailbox ?? 0), .text(name), .integer(id ?? 0)])
        guard clash.isEmpty else { throw AnsweringError.duplicateTemplate(name) }
    }
}
