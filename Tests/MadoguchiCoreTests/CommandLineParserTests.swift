// Tests of the getopt-like command-line parser.

import MadoguchiCore
import Testing

@Suite struct CommandLineParserTests {
    let options = [OptionSpec("-n"), OptionSpec("-v"), OptionSpec("--config", takesValue: true), OptionSpec("--json")]

    @Test("flags cluster, values attach either way, -- ends options")
    func parses() throws {
        let parsed = try CommandLineParser.parse(
            ["-nv", "--config=/x.conf", "--json", "a", "--", "-b"], options: options)
        #expect(parsed.has("-n") && parsed.has("-v") && parsed.has("--json"))
        #expect(parsed.value("--config") == "/x.conf")
        #expect(parsed.operands == ["a", "-b"])
        let spaced = try CommandLineParser.parse(["--config", "/y.conf"], options: options)
        #expect(spaced.value("--config") == "/y.conf")
    }

    @Test("stopping at the first operand leaves a command's own options alone")
    func stopsAtCommand() throws {
        let parsed = try CommandLineParser.parse(
            ["-v", "inspect-mail", "--json", "f"], options: options, stopAtFirstOperand: true)
        #expect(parsed.operands == ["inspect-mail", "--json", "f"])
    }

    @Test("bad command lines are usage errors", arguments: [["--nope"], ["-x"], ["--config"], ["--json=1"]])
    func rejects(arguments: [String]) {
        #expect(throws: UsageError.self) { try CommandLineParser.parse(arguments, options: options) }
    }
}
