// InquiryList: the audited listing of inquiries, newest activity first, optionally of
// one status or one mailbox.
// SECURITY: a listing shows decrypted subjects, so it is audit-logged in the same
// transaction that reads it: nothing is returned unless the entry is committed.

import Foundation
import MadoguchiCore
import MadoguchiStore

/// Lists inquiries.
public enum InquiryList {
    /// Refuses a status that is not one of `InquirySummary.statuses`.
    /// - Throws: `InquiryError.unknownStatus`.
    public static func check(status: String?) throws {
        if let status, !InquirySummary.statuses.contains(status) { throw InquiryError.unknownStatus(status) }
    }

    /// The inquiries of one status and/or mailbox, newest activity first, audited
    /// (action `list`, target `mailbox:<id>` when one was named, detail `{"results":n}`).
    /// - Parameters:
    ///   - status: only this status (one of `InquirySummary.statuses`); nil for all.
    ///   - mailbox: only the mailbox of this name; nil for all.
    ///   - instance: the open instance.
    ///   - actor: the audit actor.
    ///   - now: the audit time.
    /// - Throws: `InquiryError` (unknown status or mailbox), `StoreError`, `CryptoError`.
    public static func load(
        status: String? = nil, mailbox: String? = nil, in instance: InstanceDatabase, actor: String, now: Date = Date()
    ) throws -> [InquirySummary] {
        try check(status: status)
        return try instance.database.write { tx in
            let mailboxID = try mailbox.map { try InquirySummary.mailboxID(named: $0, in: tx) }
            let found = try InquirySummary.load(status: status, mailboxID: mailboxID, in: tx)
            try AuditLog.append(
                AuditEvent(
                    actor: actor, action: .list, target: mailboxID.map { "mailbox:\($0)" },
                    detail: AuditDetail.counts(["results": found.count])), in: tx, now: now)
            return found
        }
    }
}
