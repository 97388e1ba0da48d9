// QuarantineError: why a `madoguchi quarantine` action was refused.

import MadoguchiCore

/// Why a quarantine action was refused.
public enum QuarantineError: MadoguchiError, Equatable {
    /// No quarantined message has this id (never, or already released, deleted or purged).
    case notFound(id: Int64)
    /// `show --raw` to a terminal: the raw message could drive the terminal.
    case rawToTerminal
    /// The row names no mailbox and its intake id names none either.
    case noMailbox(id: Int64)

    public var description: String {
        switch self {
        case .notFound(let id): "no quarantined message \(id)"
        case .rawToTerminal: "refusing to write a raw message to a terminal; redirect standard output to a file"
        case .noMailbox(let id): "quarantined message \(id) names no mailbox; it cannot be re-queued"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .notFound, .noMailbox: .dataError
        case .rawToTerminal: .usage
        }
    }
}
