// Tests of madoguchi.conf parsing: units, unknown names, line numbers, defaults.

import Testing

@testable import MadoguchiCore

@Suite struct ConfigurationTests {
    @Test(
        "durations accept s, m, h, d, w and reject junk",
        arguments: [
            ("30s", Int64(30)), ("10m", 600), ("2h", 7200), ("7d", 604_800), ("1w", 604_800), ("45", 45),
        ])
    func durations(text: String, seconds: Int64) {
        #expect(ConfigUnits.seconds(text) == seconds)
    }

    @Test(
        "bad durations and sizes are rejected",
        arguments: ["", "s", "10x", "-5s", "1.5h", " 5s", "99999999999999999999s"])
    func badUnits(text: String) {
        #expect(ConfigUnits.seconds(text) == nil)
        #expect(ConfigUnits.bytes(text) == nil)
    }

    @Test("sizes use binary multiples")
    func sizes() {
        #expect(ConfigUnits.bytes("64k") == 65536)
        #expect(ConfigUnits.bytes("25M") == Int64(26_214_400))
        #expect(ConfigUnits.bytes("1G") == Int64(1_073_741_824))
        #expect(ConfigUnits.bytes("512") == 512)
    }

    @Test("a valid file sets values, keeps defaults, resolves relative paths")
    func validFile() throws {
        let text = """
            # comment
            database_file = data/madoguchi.db

            database_busy_timeout = 30s
            mail_max_message_size = 10M
            """
        let config = try Configuration.parse(text, path: "t.conf", baseDirectory: "/srv/m")
        #expect(config[.databaseFile] == "/srv/m/data/madoguchi.db")
        #expect(config[.databaseBusyTimeout] == 30)
        #expect(config[.mailMaxMessageSize] == 10 * 1024 * 1024)
        #expect(config[.mailMaxMIMEDepth] == 32)
        #expect(config[.lockDirectory] == "/run/madoguchi")
    }

    @Test("typed reads: durations in seconds, sizes in bytes, only paths resolved")
    func typedReads() throws {
        let text = """
            key_directory = keys
            clamd_address = clamd.sock
            log_destination = syslog
            fetch_read_timeout = 2m
            fetch_max_line_length = 8k
            """
        let config = try Configuration.parse(text, path: "t.conf", baseDirectory: "/srv/m/")
        #expect(config[.keyDirectory] == "/srv/m/keys")
        #expect(config[.clamdAddress] == "clamd.sock")
        #expect(config[.logDestination] == "syslog")
        #expect(config[.fetchReadTimeout] == 120)
        #expect(config[.fetchSessionTimeout] == 600)
        #expect(config[.fetchMaxLineLength] == 8192)
        #expect(config[.clamdMaxStreamSize] == 0)
    }

    @Test("every declared default is a valid value of its kind")
    func defaultsValid() {
        for parameter in ConfigSchema.all {
            #expect(parameter.kind.validate(parameter.defaultValue) == nil, "\(parameter.name)")
        }
    }

    @Test(
        "errors name the line",
        arguments: [
            ("a_b = 1", ConfigError.unknownParameter(path: "t.conf", line: 2, name: "a_b")),
            ("just words", ConfigError.syntax(path: "t.conf", line: 2)),
            (
                "database_busy_timeout = soon",
                ConfigError.invalidValue(
                    path: "t.conf", line: 2, name: "database_busy_timeout",
                    reason: "expected a duration like 30s, 10m, 2h, 7d or 1w")
            ),
            (
                "log_destination = stderr",
                ConfigError.duplicateParameter(path: "t.conf", line: 2, name: "log_destination")
            ),
        ])
    func errors(line: String, expected: ConfigError) {
        let text = "log_destination = stderr\n" + line + "\n"
        #expect(throws: expected) { try Configuration.parse(text, path: "t.conf", baseDirectory: "/") }
    }

    @Test("config errors exit 78")
    func exitCodes() {
        #expect(ConfigError.syntax(path: "x", line: 1).effectiveExitCode == .config)
    }
}
