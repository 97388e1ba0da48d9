// InquiryError: why an inquiry listing or search could not run as asked.

import MadoguchiCore

/// A bad selection of inquiries.
public enum InquiryError: MadoguchiError, Equatable {
    /// No mailbox has this name.
    case unknownMailbox(String)
    /// Not one of `InquirySummary.statuses`.
    case unknownStatus(String)
    /// No such inquiry, message or attachment — or not one the caller may see: the
    /// same answer either way (madoguchi-security(7) F2).
    case notFound(String)

    public var description: String {
        switch self {
        case .unknownMailbox(let name): "unknown mailbox \(Log.escape(name))"
        case .unknownStatus(let status):
            "unknown status \(Log.escape(status)); use one of \(InquirySummary.statuses.joined(separator: ", "))"
        case .notFound(let what): "no \(Log.escape(what))"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .notFound: .dataError
        default: .usage
        }
    }
}
