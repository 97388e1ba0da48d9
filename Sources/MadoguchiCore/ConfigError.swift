// ConfigError: what is wrong with madoguchi.conf, with the file and line number.

/// A configuration problem. Always permanent (exit 78).
public enum ConfigError: MadoguchiError, Equatable {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// A line is not `name = value`.
    case syntax(path: String, line: Int)
    /// The name is not a declared parameter.
    case unknownParameter(path: String, line: Int, name: String)
    /// The name appears twice.
    case duplicateParameter(path: String, line: Int, name: String)
    /// The value does not fit the parameter's type.
    case invalidValue(path: String, line: Int, name: String, reason: String)

    public var exitCode: SysExit { .config }

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read configuration \(path): \(reason)"
        case .syntax(let path, let line):
            "\(path), line \(line): expected \"name = value\""
        case .unknownParameter(let path, let line, let name):
            "\(path), line \(line): unknown parameter \"\(Log.escape(name))\""
        case .duplicateParameter(let path, let line, let name):
            "\(path), line \(line): parameter \"\(name)\" is set twice"
        case .invalidValue(let path, let line, let name, let reason):
            "\(path), line \(line): bad value for \(name): \(reason)"
        }
    }
}
