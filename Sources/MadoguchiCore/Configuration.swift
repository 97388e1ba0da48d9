// Configuration: a parsed madoguchi.conf. Lines are `name = value`; `#` starts a
// comment line; blank lines are ignored. Unknown or repeated names and values of
// the wrong type are rejected with the line number. Unset parameters take their
// declared default.

import Foundation

/// The parsed configuration shared by all programs.
public struct Configuration: Sendable {
    /// The file it was read from, or nil for built-in defaults.
    public let path: String?
    /// Explicitly set values by parameter name.
    public let values: [String: String]
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

    /// The raw text of a parameter (set value or default).
    public func string(_ parameter: ConfigParameter) -> String {
        values[parameter.name] ?? parameter.defaultValue
    }

    /// A path parameter, resolved against the configuration file's directory.
    public func path(_ parameter: ConfigParameter) -> String {
        let text = string(parameter)
        if text.hasPrefix("/") || text.isEmpty { return text }
        return baseDirectory + (baseDirectory.hasSuffix("/") ? "" : "/") + text
    }

    /// A duration parameter in seconds.
    public func seconds(_ parameter: ConfigParameter) -> Int64 {
        ConfigUnits.seconds(string(parameter)) ?? ConfigUnits.seconds(parameter.defaultValue) ?? 0
    }

    /// A size parameter in bytes.
    public func bytes(_ parameter: ConfigParameter) -> Int64 {
        ConfigUnits.bytes(string(parameter)) ?? ConfigUnits.bytes(parameter.defaultValue) ?? 0
    }

    /// An integer parameter.
    public func integer(_ parameter: ConfigParameter) -> Int64 {
        ConfigUnits.integer(string(parameter)) ?? ConfigUnits.integer(parameter.defaultValue) ?? 0
    }

    /// A boolean parameter.
    public func bool(_ parameter: ConfigParameter) -> Bool {
        ConfigUnits.boolean(string(parameter)) ?? false
    }

    /// Looks up a declared parameter by name and returns its text.
    /// - Precondition: the name is declared in `ConfigSchema`.
    public subscript(name: String) -> String {
        guard let parameter = ConfigSchema.parameter(named: name) else {
            preconditionFailure("undeclared configuration parameter \(name)")
        }
        return string(parameter)
    }

    /// Looks up a declared parameter by name.
    /// - Precondition: the name is declared in `ConfigSchema`.
    public static func declared(_ name: String) -> ConfigParameter {
        guard let parameter = ConfigSchema.parameter(named: name) else {
            preconditionFailure("undeclared configuration parameter \(name)")
        }
        return parameter
    }
}

extension Configuration {
    /// A path parameter by name, resolved against the configuration file's directory.
    public func path(_ name: String) -> String { path(Configuration.declared(name)) }
    /// A duration parameter by name, in seconds.
    public func seconds(_ name: String) -> Int64 { seconds(Configuration.declared(name)) }
    /// A size parameter by name, in bytes.
    public func bytes(_ name: String) -> Int64 { bytes(Configuration.declared(name)) }
    /// An integer parameter by name.
    public func integer(_ name: String) -> Int64 { integer(Configuration.declared(name)) }
    /// A boolean parameter by name.
    public func bool(_ name: String) -> Bool { bool(Configuration.declared(name)) }
}
