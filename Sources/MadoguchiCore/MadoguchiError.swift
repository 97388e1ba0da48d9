// MadoguchiError: the one protocol every domain and C-library error adopts, so
// ToolMain can map any failure to a sysexits code (transient → 75).

/// An error that knows how a program should exit because of it.
public protocol MadoguchiError: Error, CustomStringConvertible {
    /// The exit status for a permanent failure of this kind.
    var exitCode: SysExit { get }
    /// True when retrying later may succeed (network down, lock held, database busy).
    /// A transient error always exits 75, whatever `exitCode` says.
    var isTransient: Bool { get }
}

extension MadoguchiError {
    /// Default: permanent.
    public var isTransient: Bool { false }

    /// The status a program exits with for this error.
    public var effectiveExitCode: SysExit { isTransient ? .tempFail : exitCode }
}

/// Maps any error to the status a program should exit with.
/// - Parameter error: the error that ended the program.
/// - Returns: the mapped exit status; unknown error types are bugs (70).
public func exitCode(for error: any Error) -> SysExit {
    if let known = error as? any MadoguchiError { return known.effectiveExitCode }
    return .software
}
