// Configuration: a parsed madoguchi.conf. Lines are `name = value`; `#` starts a
// comment line; blank lines are ignored. Unknown or repeated names and values of
// the wrong type are rejected with the line number. Unset parameters take their
// declared default.

import Foundation

/// The parsed configuration shared by all programs.
public struct Configuration: Sendable {
    /// The file it was read from, or nil for built-in defaults.
    public let path: String?
    /// Explicitly set values by parameter name; read them through the `ConfigKey`
    /// subscripts.
    let values: [String: String]
    /// Directory relative paths are resolved against.
    public let baseDirectory: String

    /// The default configuration path, unless `MADOGUCHI_CONFIG` is set.
    public static var defaultPath: String {
        if let env = ProcessInfo.processInfo.environment["MADOGUCHI_CONFIG"], !env.isEmpty { return env }
        return "/etc/madoguchi/madoguchi.conf"
    }

    /// A configuration with every parameter at its default.
    public static let defaults = Configuration(path: nil, values: [:], baseDirectory: "/")

    init(path: String?, values: [String: String], baseDirectory: String) {
        self.path = path
        self.values = values
        self.baseDirectory = baseDirectory
    }

    /// Reads and validates a configuration file.
    /// - Parameter path: the file to read.
    /// - Throws: `ConfigError` naming the file and line.
    public static func load(path: String) throws -> Configuration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            throw ConfigError.unreadable(path: path, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError.unreadable(path: path, reason: "not UTF-8 text")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let base = (absolute as NSString).deletingLastPathComponent
        return try parse(text, path: path, baseDirectory: base)
    }

    /// Parses configuration text.
    /// - Parameters:
    ///   - text: the file contents.
    ///   - path: the name used in error messages.
    ///   - baseDirectory: where relative paths are resolved.
    /// - Throws: `ConfigError` naming the line.
    public static func parse(_ text: String, path: String, baseDirectory: String) throws -> Configuration {
        var values: [String: String] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError.syntax(path: path, line: lineNumber)
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || $0.isASCII && ($0.isLowercase || $0.isNumber) })
            else {
                throw ConfigError.syntax(path: path, line: lineNumber)
            }
            guard let parameter = ConfigSchema.parameter(named: name) else {
                throw ConfigError.unknownParameter(path: path, line: lineNumber, name: name)
            }
            if values[name] != nil {
                throw ConfigError.duplicateParameter(path: path, line: lineNumber, name: name)
            }
            if let reason = parameter.kind.validate(value) {
                throw ConfigError.invalidValue(path: path, line: lineNumber, name: name, reason: reason)
            }
            values[name] = value
        }
        return Configuration(path: path, values: values, baseDirectory: baseDirectory)
    }

    /// The text of a parameter as written in the file, or its default: what `-n -v` prints.
    func text(_ parameter: ConfigParameter) -> String {
        values[parameter.name] ?? parameter.defaultValue
    }

    /// A path, string or choice parameter. A path is resolved against the configuration
    /// file's directory; other text is returned as written.
    /// - Parameter key: the parameter, e.g. `.keyDirectory`.
    public subscript(key: ConfigKey<String>) -> String {
        let written = text(key.parameter)
        guard key.parameter.kind == .path, !written.hasPrefix("/"), !written.isEmpty else { return written }
        return baseDirectory + (baseDirectory.hasSuffix("/") ? "" : "/") + written
    }

    /// An integer parameter, or a size parameter in bytes.
    /// - Parameter key: the parameter, e.g. `.searchCandidateLimit` or `.mailMaxMessageSize`.
    public subscript(key: ConfigKey<Int64>) -> Int64 {
        let parse = key.parameter.kind == .size ? ConfigUnits.bytes : ConfigUnits.integer
        return parse(text(key.parameter)) ?? parse(key.parameter.defaultValue) ?? 0
    }

    /// A duration parameter in seconds.
    /// - Parameter key: the parameter, e.g. `.fetchReadTimeout`.
    public subscript(key: ConfigKey<Double>) -> Double {
        let seconds = ConfigUnits.seconds(text(key.parameter)) ?? ConfigUnits.seconds(key.parameter.defaultValue)
        return Double(seconds ?? 0)
    }

    /// A boolean parameter.
    /// - Parameter key: a parameter declared with `ConfigKey.boolean`.
    public subscript(key: ConfigKey<Bool>) -> Bool {
        ConfigUnits.boolean(text(key.parameter)) ?? false
    }
}
