// InquiryWork: assignment, status and internal notes (社内メモ) — each change in the
// caller's write transaction with its timeline event and its audit entry, so either all
// three are there or none. A change to the value it already has writes nothing.
// Optimistic concurrency: the page sends the value it showed; when a colleague changed
// it meanwhile, the change is refused with who did it and when (AnsweringError.changedMeanwhile).
// SECURITY: a note's text is sealed in `inquiry_events.text_enc` and never leaves the
// company (send-replies reads replies, never events); the audit entry counts characters.

import Foundation
import MadoguchiStore

/// Assigning an inquiry, changing its status and adding internal notes.
public enum InquiryWork {
    /// The longest note, in characters (after trimming).
    public static let maximumNoteLength = 20_000

    /// The assignee an assignment expects to replace.
    public enum ExpectedAssignee: Sendable, Equatable {
        /// Whoever it is (no check).
        case any
        /// Nobody.
        case nobody
        /// This user (`users.id`).
        case user(Int64)
    }

    /// Assigns an inquiry to a user, or to nobody, with an `assigned` event and an
    /// `inquiry-assign` entry (detail `from`/`to` user ids).
    ///
    /// Needs `assign` (for oneself too: taking an inquiry is an assignment; starting a
    /// reply assigns it with `reply` alone, see `ReplyLock.acquire`).
    /// - Parameters:
    ///   - inquiry: `inquiries.id`.
    ///   - assignee: the user to assign (existing, not locked), or nil for nobody.
    ///   - expected: the assignee the page showed; a different one now is refused.
    ///   - actor: who assigns.
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Returns: false when it already had this assignee (nothing written).
    /// - Throws: `AnsweringError` (not permitted, unknown or locked assignee, changed
    ///   meanwhile), `InquiryError.notFound`, `StoreError`.
    @discardableResult
    public static func assign(
        _ inquiry: Int64, to assignee: Int64?, expected: ExpectedAssignee = .any, by actor: AnsweringActor, now: Int64,
        in tx: DatabaseTransaction
    ) throws -> Bool {
        try actor.require(.assign)
        let current = try state(of: inquiry, in: tx)
        if let assignee {
            guard let user = try Users.find(id: assignee, in: tx) else {
                throw AnsweringError.unknownAssignee(assignee)
            }
            guard !user.disabled else { throw AnsweringError.assigneeDisabled(login: user.login) }
        }
        let matches: Bool
        switch expected {
        case .any: matches = true
        case .nobody: matches = current.assignee == nil
        case .user(let id): matches = current.assignee == id
        }
        guard matches else {
            let name = try current.assignee.flatMap { try Users.find(id: $0, in: tx)?.displayName }
            throw AnsweringError.changedMeanwhile(try change("assignee", current: name, kind: .assigned, inquiry, tx))
        }
        return try setAssignee(inquiry, from: current.assignee, to: assignee, by: actor, now: now, in: tx)
    }

    /// Changes an inquiry's status, with a `status` event and an `inquiry-status` entry
    /// (detail `from`/`to`).
    ///
    /// Needs `change_status`. `awaiting_approval` is refused: it means a reply waits for
    /// approval, which the approval flow sets (a hand-set one would show 承認待ち with
    /// nothing to approve). Leaving it by hand is allowed (e.g. to the trash).
    /// - Parameters:
    ///   - inquiry: `inquiries.id`.
    ///   - status: one of `InquirySummary.statuses` but `awaiting_approval`.
    ///   - expected: the status the page showed, or nil for no check.
    ///   - actor: who changes it.
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Returns: false when it already had this status (nothing written).
    /// - Throws: `AnsweringError` (not permitted, awaiting_approval, changed meanwhile),
    ///   `InquiryError.unknownStatus`/`.notFound`, `StoreError`.
    @discardableResult
    public static func setStatus(
        _ inquiry: Int64, to status: String, expected: String? = nil, by actor: AnsweringActor, now: Int64,
        in tx: DatabaseTransaction
    ) throws -> Bool {
        try actor.require(.changeStatus)
        try InquiryList.check(status: status)
        try InquiryList.check(status: expected)
        guard status != "awaiting_approval" else { throw AnsweringError.statusSetByApproval }
        let current = try state(of: inquiry, in: tx)
        if let expected, expected != current.status {
            throw AnsweringError.changedMeanwhile(
                try change("status", current: current.status, kind: .status, inquiry, tx))
        }
        return try applyStatus(inquiry, from: current.status, to: status, by: actor, now: now, in: tx)
    }

    /// Adds an internal note (社内メモ), with a `note` event holding the sealed text and an
    /// `inquiry-note` entry (detail the event id and the character count).
    ///
    /// Needs `reply`: a note is part of working the inquiry, next to the reply.
    /// - Parameters:
    ///   - inquiry: `inquiries.id`.
    ///   - text: the note; surrounding blanks are trimmed, CRLF becomes LF; 1 to
    ///     `maximumNoteLength` characters without control characters but tab and LF.
    ///   - actor: who writes it.
    ///   - now: Unix time.
    ///   - tx: a write transaction.
    /// - Returns: the event's id.
    /// - Throws: `AnsweringError` (not permitted, empty, too long, control characters),
    ///   `InquiryError.notFound`, `StoreError`, `CryptoError`.
    @discardableResult
    public static func addNote(
        _ inquiry: Int64, text: String, by actor: AnsweringActor, now: Int64, in tx: DatabaseTransaction
    ) throws -> Int64 {
        try actor.require(.reply)
        let note = try cleanText(text, maximum: maximumNoteLength)
        _ = try state(of: inquiry, in: tx)
        let event = try InquiryEvents.append(.note, inquiry: inquiry, user: actor.userID, text: note, now: now, in: tx)
        try AuditLog.append(
            actor.audit.event(
                .inquiryNote, target: "inquiry:\(inquiry)",
                detail: AuditDetail.counts(["characters": note.count, "event": Int(event)])),
            in: tx, now: date(now))
        return event
    }

    // MARK: Shared with the reply lock and the approval flow

    /// The status and assignee of an inquiry.
    /// - Throws: `InquiryError.notFound`, `StoreError`.
    static func state(of inquiry: Int64, in tx: DatabaseTransaction) throws -> (status: String, assignee: Int64?) {
        guard let row = try tx.rows("SELECT status, assignee_id FROM inquiries WHERE id = ?", [.integer(inquiry)]).first
        else { throw InquiryError.notFound("inquiry \(inquiry)") }
        return (row.string("status") ?? "", row.int64("assignee_id"))
    }

    /// Sets the assignee with its event and audit entry, unchecked; false when unchanged.
    static func setAssignee(
        _ inquiry: Int64, from old: Int64?, to new: Int64?, by actor: AnsweringActor, now: Int64,
        in tx: DatabaseTransaction
    ) throws -> Bool {
        guard old != new else { return false }
        try tx.run(
            "UPDATE inquiries SET assignee_id = ?, updated_at = ? WHERE id = ?",
            [.optional(new), .integer(now), .integer(inquiry)])
        var detail: [String: String] = [:]
        detail["from"] = old.map(String.init)
        detail["to"] = new.map(String.init)
        try InquiryEvents.append(.assigned, inquiry: inquiry, user: actor.userID, detail: detail, now: now, in: tx)
        try AuditLog.append(
            actor.audit.event(.inquiryAssign, target: "inquiry:\(inquiry)", detail: AuditDetail.words(detail)), in: tx,
            now: date(now))
        return true
    }

    /// Sets the status with its event and audit entry, without the permission and
    /// `awaiting_approval` checks (for the reply lock and the approval flow); false when
    /// unchanged.
    /// - Throws: `StoreError`.
    static func applyStatus(
        _ inquiry: Int64, from old: String, to new: String, by actor: AnsweringActor, now: Int64,
        in tx: DatabaseTransaction
    ) throws -> Bool {
        guard old != new else { return false }
        try tx.run(
            "UPDATE inquiries SET status = ?, updated_at = ? WHERE id = ?",
            [.text(new), .integer(now), .integer(inquiry)])
        let detail = ["from": old, "to": new]
        try InquiryEvents.append(.status, inquiry: inquiry, user: actor.userID, detail: detail, now: now, in: tx)
        try AuditLog.append(
            actor.audit.event(.inquiryStatus, target: "inquiry:\(inquiry)", detail: AuditDetail.words(detail)), in: tx,
            now: date(now))
        return true
    }

    /// Who made the latest change of `kind` on the inquiry, and when.
    private static func change(
        _ field: String, current: String?, kind: InquiryEventKind, _ inquiry: Int64, _ tx: DatabaseTransaction
    ) throws -> AnsweringError.Change {
        let last = try tx.rows(
            """
            SELECT e.at, u.login, u.display_name FROM inquiry_events e LEFT JOIN users u ON u.id = e.user_id
            WHERE e.inquiry_id = ? AND e.kind = ? ORDER BY e.id DESC LIMIT 1
            """, [.integer(inquiry), .text(kind.rawValue)]
        ).first
        return AnsweringError.Change(
            field: field, current: current, byName: last?.string("display_name"), byLogin: last?.string("login"),
            at: last?.int64("at"))
    }

    /// `text` trimmed, CRLF and CR as LF, checked against `maximum` characters and for
    /// control characters other than tab and LF.
    /// - Throws: `AnsweringError.emptyText`, `.textTooLong`, `.controlCharacters`.
    static func cleanText(_ text: String, maximum: Int) throws -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !normalized.isEmpty else { throw AnsweringError.emptyText }
        guard normalized.count <= maximum else { throw AnsweringError.textTooLong(maximum: maximum) }
        guard
            !normalized.unicodeScalars.contains(where: {
                ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
            })
        else { throw AnsweringError.controlCharacters }
        return normalized
    }

    static func date(_ now: Int64) -> Date { Date(timeIntervalSince1970: Double(now)) }
}
