// BuiltProgram: runs an executable of this package (built next to the test bundle) as
// a child process, for end-to-end tests of the real programs. A run may carry a time
// limit: a child that outlives it is killed, so a hang fails the test instead of the suite.

import Foundation
import Glibc
import Synchronization

/// A built program of this package, run as a child process.
public struct BuiltProgram {
    /// The directory holding the built executables (next to the test bundle).
    public static let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().path

    /// The outcome of one run.
    public struct Outcome: Sendable {
        /// The exit status, or the signal number when killed.
        public var status: Int32
        /// Whether a signal ended it.
        public var killed: Bool
        /// Standard output, with standard error interleaved unless kept apart.
        public var output: String
        /// Standard error when kept apart (`separateErrors`), else empty.
        public var errors: String
        /// Whether the child was killed (SIGKILL) because it outlived the time limit.
        public var timedOut = false
    }

    /// Runs `name` with `arguments`; stdout and stderr are collected together, or
    /// apart with `separateErrors` (stderr then goes through a temporary file, so a
    /// chatty program cannot block on a full pipe).
    /// - Parameter timeLimit: seconds after which a still-running child is killed with
    ///   SIGKILL (`Outcome.timedOut`); nil waits for as long as it runs.
    public static func run(
        _ name: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
        separateErrors: Bool = false, timeLimit: Double? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: directory + "/" + name)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        let errorDirectory = separateErrors ? try TemporaryDirectory(prefix: "madoguchi-stderr") : nil
        let errorFile = errorDirectory?.file("stderr")
        if let errorFile {
            guard FileManager.default.createFile(atPath: errorFile, contents: nil) else {
                throw TestToolError("cannot create \(errorFile)")
            }
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        } else {
            process.standardError = pipe
        }
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        let expired = ExpiryFlag()
        var killer: DispatchWorkItem?
        if let timeLimit {
            let pid = process.processIdentifier
            let item = DispatchWorkItem {
                expired.value.withLock { $0 = true }
                kill(pid, SIGKILL)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit, execute: item)
            killer = item
        }
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer?.cancel()
        let errors = errorFile.flatMap { FileManager.default.contents(atPath: $0) } ?? Data()
        return Outcome(
            status: process.terminationStatus, killed: process.terminationReason == .uncaughtSignal,
            output: String(decoding: data, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self),
            timedOut: expired.value.withLock { $0 })
    }
}

/// Set by the timer that killed a child which outlived its time limit.
private final class ExpiryFlag: Sendable {
    let value = Mutex(false)
}
