// SearchError: why a search could not run.

import MadoguchiCore

/// Why a search could not run.
public enum SearchError: MadoguchiError, Equatable {
    /// The query is empty after normalisation.
    case emptyQuery

    public var description: String {
        switch self {
        case .emptyQuery: "the search text is empty"
        }
    }

    public var exitCode: SysExit { .usage }
}
