// TemporaryDirectory: a private scratch directory per test, removed afterwards.

import Foundation

/// A temporary directory (mode 0700) removed when the object is released.
public final class TemporaryDirectory {
    /// The absolute path.
    public let path: String

    /// Creates a fresh directory under `$TMPDIR` (or /tmp).
    public init(prefix: String = "madoguchi-test") throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(base)/\(prefix).XXXXXX".utf8CString)
        guard let result = mkdtemp(&template) else {
            throw CocoaError(.fileWriteUnknown)
        }
        path = String(cString: result)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
