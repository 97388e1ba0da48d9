// AnsweringError: why working an inquiry was refused — a missing permission, a colleague's
// change since the page was loaded, a reply lock someone else holds, a bad note,
// template or mailbox reply setting. The page shows these to the operator.
// SECURITY: messages carry names, ids and states, never a note's or template's text.

import Foundation
import MadoguchiCore

/// A refused answering action.
public enum AnsweringError: MadoguchiError, Equatable {
    /// The user's role does not grant this.
    case notPermitted(Permission)
    /// No user has this id, or the account is locked: it cannot be assigned.
    case unknownAssignee(Int64)
    /// The account is disabled (`madoguchi user lock`): it cannot be assigned.
    case assigneeDisabled(login: String)
    /// `awaiting_approval` is set by the approval flow only (a reply waits for approval).
    case statusSetByApproval
    /// Someone changed the value since the page showed it (optimistic concurrency).
    case changedMeanwhile(Change)
    /// Another operator holds the reply lock (二重対応防止).
    case locked(ReplyLock.Holder)
    /// The reply lock belongs to a web session; this action came without one.
    case sessionRequired
    /// A note is empty after trimming.
    case emptyText
    /// A note, template or signature is longer than its limit (in characters).
    case textTooLong(maximum: Int)
    /// A note, template or signature holds control characters other than tab and line feed.
    case controlCharacters
    /// A template name is empty, too long or holds control characters.
    case invalidTemplateName
    /// A template with this name exists in the same mailbox (or among the global ones).
    case duplicateTemplate(String)
    /// No template has this id.
    case unknownTemplate(Int64)
    /// A mailbox reply setting is not valid.
    case invalidSetting(String)

    /// A change a colleague made after the page was loaded.
    public struct Change: Sendable, Equatable {
        /// `status` or `assignee`.
        public var field: String
        /// The value now: a status, or the assignee's display name (nil for nobody).
        public var current: String?
        /// Who made the latest change of the field, if recorded.
        public var byName: String?
        /// Their login, if recorded.
        public var byLogin: String?
        /// Unix time of that change, if recorded.
        public var at: Int64?

        /// Creates a value.
        public init(field: String, current: String?, byName: String? = nil, byLogin: String? = nil, at: Int64? = nil) {
            self.field = field
            self.current = current
            self.byName = byName
            self.byLogin = byLogin
            self.at = at
        }
    }

    public var description: String {
        switch self {
        case .notPermitted(let permission): "your role does not grant \(permission.rawValue)"
        case .unknownAssignee(let id): "no user \(id) to assign"
        case .assigneeDisabled(let login): "user \(Log.escape(login)) is locked and cannot be assigned"
        case .statusSetByApproval:
            "awaiting_approval is set when a reply is submitted for approval, not by hand"
        case .changedMeanwhile(let change):
            "the \(change.field) was changed to \(Log.escape(change.current ?? "nobody"))"
                + (change.byName.map { " by \(Log.escape($0))" } ?? "")
                + (change.at.map { " at \(Self.time($0))" } ?? "") + " after the page was loaded; reload it"
        case .locked(let holder):
            "\(Log.escape(holder.displayName)) (\(Log.escape(holder.login))) is replying since \(Self.time(holder.since))"
        case .sessionRequired: "a reply lock needs a web session"
        case .emptyText: "the text is empty"
        case .textTooLong(let maximum): "the text is longer than \(maximum) characters"
        case .controlCharacters: "the text holds control characters"
        case .invalidTemplateName:
            "a template name is 1 to \(ReplyTemplates.maximumNameLength) characters without control characters"
        case .duplicateTemplate(let name): "a template named \(Log.escape(name)) exists"
        case .unknownTemplate(let id): "no template \(id)"
        case .invalidSetting(let reason): reason
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .notPermitted: .noPermission
        case .invalidTemplateName, .invalidSetting, .statusSetByApproval: .usage
        default: .dataError
        }
    }

    /// `2026-11-29T09:00:00Z`.
    static func time(_ unix: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(unix)))
    }
}
