// Notice: why an action on the answering pages did not happen (or what it did), as a
// short code in the redirect back (`?n=changed`). The page shows the code's fixed
// words; nothing the request sent is ever echoed (madoguchi-security(7) D9).

import MadoguchiInbox

/// A notice code and its words.
enum Notice: String, Sendable, CaseIterable {
    case changed, locked, forbidden, invalid, stale, saved
    case ownReply = "own"
    case undoExpired = "late"
    case emptyBody = "empty"
    case noRecipient = "no-recipient"
    case noFrom = "no-from"
    case infected
    case scanner
    case tooLarge = "too-large"
    case unencodable = "charset"

    /// The notice of a domain refusal, or nil for an error that is not the operator's to fix.
    init?(_ error: any Error) {
        switch error {
        case AnsweringError.changedMeanwhile: self = .changed
        case AnsweringError.locked: self = .locked
        case AnsweringError.notPermitted, ReplyError.notAuthor: self = .forbidden
        case AnsweringError.emptyText, AnsweringError.textTooLong, AnsweringError.controlCharacters,
            AnsweringError.invalidTemplateName, AnsweringError.duplicateTemplate, AnsweringError.statusSetByApproval,
            AnsweringError.unknownAssignee, AnsweringError.assigneeDisabled, ReplyError.emptySubject,
            ReplyError.subjectTooLong, ReplyError.bodyTooLong, ReplyError.emptyComment, ReplyError.wrongState,
            ReplyError.tooManyAttachments:
            self = .invalid
        case ReplyError.stale: self = .stale
        case ReplyError.ownReply: self = .ownReply
        case ReplyError.undoWindowOver: self = .undoExpired
        case ReplyError.emptyBody: self = .emptyBody
        case ReplyError.noRecipient: self = .noRecipient
        case ReplyError.noFromAddress: self = .noFrom
        case ReplyError.attachmentInfected: self = .infected
        case ReplyError.scannerUnavailable: self = .scanner
        case ReplyError.attachmentTooLarge, ReplyError.attachmentsTooLarge: self = .tooLarge
        case ReplyError.unencodable: self = .unencodable
        default: return nil
        }
    }

    /// The words shown.
    var word: Word {
        switch self {
        case .changed, .stale: .changedMeanwhile
        case .locked: .lockedNotice
        case .forbidden: .forbidden
        case .invalid: .badRequest
        case .saved: .draftSaved
        case .ownReply: .cannotApproveOwn
        case .undoExpired: .undoExpired
        case .emptyBody: .bodyEmpty
        case .noRecipient: .noRecipient
        case .noFrom: .noFromAddress
        case .infected: .attachmentRefused
        case .scanner: .scannerDown
        case .tooLarge: .attachmentTooLarge
        case .unencodable: .unencodableNotice
        }
    }

    /// The notice a page's `n` query value names, if any.
    static func from(_ request: WebRequest) -> Notice? {
        request.http.queryValue("n").flatMap(Notice.init(rawValue:))
    }
}
