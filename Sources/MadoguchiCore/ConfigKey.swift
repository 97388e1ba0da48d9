// ConfigKey: a declared madoguchi.conf parameter together with the Swift type its
// value reads as. Parameters are static constants of ConfigKey (ConfigSchema+Prefix
// files) read as `configuration[.searchCandidateLimit]`, so a misspelt name does not
// compile. The file itself is still parsed by name, against `ConfigSchema.all`.

/// A declared parameter whose value reads as `Value`:
///
/// | kind | `Value` | reads as |
/// |---|---|---|
/// | path | `String` | the path, relative ones resolved against the configuration file's directory |
/// | string, choice | `String` | the text as written |
/// | integer | `Int64` | the number |
/// | size | `Int64` | bytes (`64k` is 65536) |
/// | duration | `Double` | seconds (`10m` is 600) |
/// | boolean | `Bool` | `yes` is true |
///
/// Keys are made only by the factories below, so the kind and `Value` always agree.
public struct ConfigKey<Value: Sendable>: Sendable {
    /// The parameter's name, kind, default and summary.
    public let parameter: ConfigParameter

    private init(_ name: String, _ kind: ConfigKind, default defaultValue: String, _ summary: String) {
        parameter = ConfigParameter(name, kind, default: defaultValue, summary)
    }
}

extension ConfigKey<String> {
    /// Declares a path parameter.
    /// - Parameters:
    ///   - name: the snake_case name.
    ///   - defaultValue: the default path, as written in the file.
    ///   - summary: one sentence for madoguchi.conf(5).
    static func path(_ name: String, default defaultValue: String, _ summary: String) -> Self {
        Self(name, .path, default: defaultValue, summary)
    }

    /// Declares a free-text parameter.
    /// - Parameters:
    ///   - name: the snake_case name.
    ///   - defaultValue: the default text.
    ///   - summary: one sentence for madoguchi.conf(5).
    static func string(_ name: String, default defaultValue: String, _ summary: String) -> Self {
        Self(name, .string, default: defaultValue, summary)
    }

    /// Declares a parameter that takes one of a fixed set of words.
    /// - Parameters:
    ///   - name: the snake_case name.
    ///   - words: the accepted words, in the order error messages list them.
    ///   - defaultValue: the default word, one of `words`.
    ///   - summary: one sentence for madoguchi.conf(5).
    static func choice(_ name: String, _ words: [String], default defaultValue: String, _ summary: String) -> Self {
        Self(name, .choice(words), default: defaultValue, summary)
    }
}

extension ConfigKey<Int64> {
    /// Declares a non-negative whole-number parameter.
    /// - Parameters:
    ///   - name: the snake_case name.
    ///   - defaultValue: the default number, as written in the file.
    ///   - summary: one sentence for madoguchi.conf(5).
    static func integer(_ name: String, default defaultValue: String, _ summary: String) -> Self {
        Self(name, .integer, default: defaultValue, summary)
    }

    /// Declares a size parameter, read in bytes.
    /// - Parameters:
    ///   - name: the snake_case name.
    ///   - defaultValue: the default size with its unit (`64k`).
    ///   - summary: one sentence for madoguchi.conf(5).
    static func size(_ name: String, default defaultValue: String, _ summary: String) -> Self {
        Self(name, .size, default: defaultValue, summary)
    }
}

extension ConfigKey<Double> {
    /// Declares a duration parameter, read in seconds.
    /// - Parameters:
    ///   - name: the snake_case name.
    ///   - defaultValue: the default duration with its unit (`30s`).
    ///   - summary: one sentence for madoguchi.conf(5).
    static func duration(_ name: String, default defaultValue: String, _ summary: String) -> Self {
        Self(name, .duration, default: defaultValue, summary)
    }
}

extension ConfigKey<Bool> {
    /// Declares a `yes`/`no` parameter.
    /// - Parameters:
    ///   - name: the snake_case name.
    ///   - defaultValue: `yes` or `no`.
    ///   - summary: one sentence for madoguchi.conf(5).
    static func boolean(_ name: String, default defaultValue: String, _ summary: String) -> Self {
        Self(name, .boolean, default: defaultValue, summary)
    }
}
