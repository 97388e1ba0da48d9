// InquiryError: why an inquiry listing or search could not run as asked.

import MadoguchiCore

/// A bad selection of inquiries.
public enum InquiryError: MadoguchiError, Equatable {
    /// No mailbox has this name.
    case unknownMailbox(String)
    /// Not one of `InquirySummary.statuses`.
    case unknownStatus(String)

    public var description: String {
        switch self {
        case .unknownMailbox(let name): "unknown mailbox \(Log.escape(name))"
        case .unknownStatus(let status):
            "unknown status \(Log.escape(status)); use one of \(InquirySummary.statuses.joined(separator: ", "))"
        }
    }

    public var exitCode: SysExit { .usage }
}
