// CommandLineParser: a small getopt_long-like parser (glibc getopt cannot be used
// from Swift 6: `optarg` is a C global). Options come before operands; `--`
// ends options; `-nv` clusters short flags; `--name=value` and `--name value`.

/// Parses arguments against a list of options.
public enum CommandLineParser {
    /// Parses `arguments` (without the program name).
    /// - Parameters:
    ///   - arguments: the words to parse.
    ///   - options: the accepted options.
    ///   - stopAtFirstOperand: leave everything from the first operand on as operands
    ///     (for a command word followed by its own options).
    /// - Throws: `UsageError` for unknown options or missing values.
    public static func parse(
        _ arguments: [String], options: [OptionSpec], stopAtFirstOperand: Bool = false
    ) throws -> ParsedArguments {
        var result = ParsedArguments()
        let byName = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if word == "--" {
                result.operands += arguments[index...]
                break
            }
            if word.hasPrefix("--") {
                var name = word
                var inline: String?
                if let eq = word.firstIndex(of: "=") {
                    name = String(word[..<eq])
                    inline = String(word[word.index(after: eq)...])
                }
                guard let spec = byName[name] else { throw UsageError("unknown option \(Log.escape(name))") }
                if spec.takesValue {
                    if let inline {
                        result.values[name, default: []].append(inline)
                    } else {
                        guard index < arguments.count else { throw UsageError("option \(name) needs a value") }
                        result.values[name, default: []].append(arguments[index])
                        index += 1
                    }
                } else {
                    guard inline == nil else { throw UsageError("option \(name) takes no value") }
                    result.flags.insert(name)
                }
            } else if word.hasPrefix("-") && word.count > 1 {
                let letters = Array(word.dropFirst())
                var position = 0
                while position < letters.count {
                    let name = "-" + String(letters[position])
                    position += 1
                    guard let spec = byName[name] else { throw UsageError("unknown option \(Log.escape(name))") }
                    if spec.takesValue {
                        if position < letters.count {
                            result.values[name, default: []].append(String(letters[position...]))
                        } else {
                            guard index < arguments.count else { throw UsageError("option \(name) needs a value") }
                            result.values[name, default: []].append(arguments[index])
                            index += 1
                        }
                        break
                    }
                    result.flags.insert(name)
                }
            } else {
                result.operands.append(word)
                if stopAtFirstOperand {
                    result.operands += arguments[index...]
                    break
                }
            }
        }
        return result
    }
}
