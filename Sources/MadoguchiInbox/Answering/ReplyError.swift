// ReplyError: why a reply could not be written, sent, approved or recorded as sent.
// SECURITY: messages name states, ids and limits, never a subject, body, address or
// file content.

import MadoguchiCore
import MadoguchiMail

/// A refused reply action.
public enum ReplyError: MadoguchiError, Equatable {
    /// Only the author of a draft may change, send or discard it.
    case notAuthor
    /// Nobody approves their own reply, administrators included.
    case ownReply
    /// The draft changed since the editor loaded it (another tab, a return): the
    /// editor must reload it.
    case stale(current: Int64)
    /// The reply is not in a state that allows the action.
    case wrongState(ReplyState, action: String)
    /// The undo window ended (send-replies may already be sending it).
    case undoWindowOver
    /// The body is empty (blanks only).
    case emptyBody
    /// The subject is empty (blanks only).
    case emptySubject
    /// The subject is longer than `Replies.maximumSubjectLength` characters.
    case subjectTooLong
    /// The body is longer than `Replies.maximumBodyBytes` bytes of UTF-8.
    case bodyTooLong
    /// A return without a comment.
    case emptyComment
    /// The inquiry has no customer address to answer to.
    case noRecipient
    /// The mailbox has no reply From address (`madoguchi mailbox set NAME --from`),
    /// or it has no domain usable in a Message-ID.
    case noFromAddress
    /// The mailbox sends ISO-2022-JP and the subject or body holds `count` distinct
    /// characters it cannot carry (the editor names them; this message does not).
    case unencodable(count: Int)
    /// A file over `reply_attachment_max`.
    case attachmentTooLarge(limit: Int64)
    /// The reply's attachments together would exceed `reply_attachment_total_max`.
    case attachmentsTooLarge(limit: Int64)
    /// More than `ReplyAttachments.maximumCount` files.
    case tooManyAttachments
    /// clamd found something in the file (C5).
    case attachmentInfected(signature: String)
    /// The file could not be scanned (clamd down, timeout, error): refused, never
    /// accepted unscanned (C5).
    case scannerUnavailable(ScanError)

    public var description: String {
        switch self {
        case .notAuthor: "only the author of a draft may change, send or discard it"
        case .ownReply: "nobody approves their own reply"
        case .stale: "the draft was changed elsewhere; reload it before saving"
        case .wrongState(let state, let action): "a reply that is \(state.rawValue) cannot be \(action)"
        case .undoWindowOver: "too late to cancel: the undo window has ended and the reply is being sent"
        case .emptyBody: "the reply has no text"
        case .emptySubject: "the reply has no subject"
        case .subjectTooLong: "the subject is longer than \(Replies.maximumSubjectLength) characters"
        case .bodyTooLong: "the reply is longer than \(Replies.maximumBodyBytes) bytes"
        case .emptyComment: "say why the reply is returned"
        case .noRecipient: "the inquiry has no customer address to reply to"
        case .noFromAddress: "the mailbox has no reply From address (madoguchi mailbox set NAME --from ADDRESS)"
        case .unencodable(let count):
            "the reply holds \(count) character(s) ISO-2022-JP cannot carry: change them, or have the mailbox send "
                + "UTF-8 (madoguchi mailbox set NAME --charset utf-8)"
        case .attachmentTooLarge(let limit): "the file is larger than reply_attachment_max (\(limit) bytes)"
        case .attachmentsTooLarge(let limit):
            "the attachments together would be larger than reply_attachment_total_max (\(limit) bytes)"
        case .tooManyAttachments: "a reply carries at most \(ReplyAttachments.maximumCount) files"
        case .attachmentInfected(let signature):
            "the file was refused: the virus scanner found \(Log.escape(signature))"
        case .scannerUnavailable(let error): "the file was refused because it could not be scanned: \(error)"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .notAuthor, .ownReply: .noPermission
        case .scannerUnavailable(let error): error.exitCode
        default: .dataError
        }
    }

    /// A scanner that could not answer may answer later.
    public var isTransient: Bool {
        if case .scannerUnavailable(let error) = self { return error.isTransient }
        return false
    }
}
