// BuiltProgram: runs an executable of this package (built next to the test bundle) as
// a child process through ChildProcess, for end-to-end tests of the real programs. A
// run may carry a time limit: a child that outlives it is killed, so a hang fails the
// test instead of the suite.

import Foundation

/// A built program of this package, run as a child process.
public enum BuiltProgram {
    /// The directory holding the built executables (next to the test bundle).
    public static let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().path

    /// The outcome of one run.
    public typealias Outcome = ChildProcess.Outcome

    /// Runs `name` with `arguments` to completion.
    /// - Parameters:
    ///   - name: the executable's product name, e.g. `madoguchi`.
    ///   - arguments: its command line.
    ///   - environment: variables added to `ChildProcess.baseEnvironment`.
    ///   - input: standard input (UTF-8), then end of file.
    ///   - separateErrors: standard error in `errors` instead of interleaved in `output`.
    ///   - timeLimit: seconds after which a still-running child is killed with SIGKILL
    ///     (`Outcome.timedOut`); nil waits for as long as it runs.
    /// - Returns: the exit status (the signal number when killed) and the output.
    /// - Throws: `TestToolError` when the program cannot be started.
    public static func run(
        _ name: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
        separateErrors: Bool = false, timeLimit: Double? = nil
    ) throws -> Outcome {
        try ChildProcess.run(
            directory + "/" + name, arguments, environment: environment, input: Array((input ?? "").utf8),
            errors: separateErrors ? .separate : .merged, timeout: timeLimit)
    }
}
