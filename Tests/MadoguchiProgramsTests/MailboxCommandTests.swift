// `madoguchi mailbox add|list|remove` in process: the password comes from stdin
// only, defaults and validation, duplicates and unknown names, and list output
// (table and JSON) that never shows a password. `mailbox test` against Dovecot is
// in FetchProgramTests.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiFetch
import MadoguchiInbox
import MadoguchiMail
import MadoguchiPrograms
import MadoguchiTestSupport
import Testing

@Suite struct MailboxCommandTests {
    final class Setup {
        let directory: TemporaryDirectory
        let context: ToolContext
        let path: String
        let layout: InstanceLayout
        init() throws {
            directory = try TemporaryDirectory()
            layout = InstanceLayout(root: directory.file("instance"), workingDirectory: "/")
            try InstanceInitializer.create(layout)
            path = layout.fetchAccountsFile
            let configuration = try Configuration.load(path: layout.configurationFile)
            context = ToolContext(
                tool: ToolDescription(name: "madoguchi", usage: []), configuration: configuration,
                arguments: try CommandLineParser.parse([], options: []), log: Log(program: "mailbox-test"))
        }

        /// Runs `mailbox …` with `stdin` as standard input; returns status and output.
        func run(_ arguments: [String], stdin: String = "") throws -> (SysExit, String) {
            var input: [Int32] = [0, 0]
            var output: [Int32] = [0, 0]
            guard pipe(&input) == 0, pipe(&output) == 0 else { throw TestToolError("pipe") }
            FileDescriptorWriter.writeAll(input[1], Array(stdin.utf8))
            close(input[1])
            defer {
                close(input[0])
                close(output[0])
            }
            let status: SysExit
            do {
                status = try MailboxCommand.run(
                    AdminInvocation(
                        arguments: arguments, context: context, input: input[0], output: output[1], actor: "cli:test"))
            } catch {
                status = exitCode(for: error)
            }
            close(output[1])
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while case let count = read(output[0], &buffer, buffer.count), count > 0 { bytes += buffer[0..<count] }
            return (status, String(decoding: bytes, as: UTF8.self))
        }
    }

    static let add = ["add", "--name", "support", "--protocol", "imap", "--host", "imap.example.jp", "--user", "s"]

    @Test("add reads the password from stdin, applies defaults and writes a 0600 file")
    func addDefaults() throws {
        let setup = try Setup()
        let (status, _) = try setup.run(Self.add + ["--password-stdin"], stdin: "Top Secret 日本\n")
        #expect(status == .ok)
        let file = try AccountsFile.load(path: setup.path)
        let account = try #require(file.account(named: "support"))
        #expect(account.password == "Top Secret 日本")
        #expect(account.port == 993 && account.tls == .implicit && account.keepDays == nil)
        var info = stat()
        #expect(stat(setup.path, &info) == 0 && info.st_mode & 0o777 == 0o600)

        let (again, _) = try setup.run(Self.add + ["--password-stdin"], stdin: "x\n")
        #expect(again == .usage)  // duplicate name
        let (pop, _) = try setup.run(
            [
                "add", "--name", "p", "--protocol", "pop3", "--host", "h", "--user", "u", "--tls", "starttls",
                "--keep-days", "3", "--password-stdin",
            ], stdin: "pw\r\n")
        #expect(pop == .ok)
        let second = try #require(try AccountsFile.load(path: setup.path).account(named: "p"))
        #expect(second.port == 110 && second.keepDays == 3 && second.password == "pw")
    }

    @Test(
        "add refuses bad settings and a password on the command line",
        arguments: [
            ["--password-stdin", "--password", "x"], [], ["--password-stdin", "--port", "0"],
            ["--password-stdin", "--tls", "ssl"], ["--password-stdin", "--keep-days", "-2"],
            ["--password-stdin", "--ca-file", "relative.pem"], ["--password-stdin", "--name", "bad name"],
        ])
    func addRefuses(extra: [String]) throws {
        let setup = try Setup()
        let (status, _) = try setup.run(Self.add + extra, stdin: "pw\n")
        #expect(status == .usage)
        #expect(access(setup.path, F_OK) != 0)
    }

    @Test("an empty password on stdin is refused")
    func emptyPassword() throws {
        let setup = try Setup()
        #expect(try setup.run(Self.add + ["--password-stdin"], stdin: "\n").0 == .usage)
        #expect(try setup.run(Self.add + ["--password-stdin"], stdin: "").0 == .usage)
    }

    @Test("list shows accounts and the last result without passwords; remove deletes one")
    func listAndRemove() throws {
        let setup = try Setup()
        #expect(try setup.run(Self.add + ["--password-stdin"], stdin: "Hidden-Pass\n").0 == .ok)
        var summary = FetchSummary()
        var result = FetchMailboxResult(mailbox: "support")
        result.error = "login refused"
        result.exitCode = .noPermission
        summary.mailboxes = [result]
        mkdir(setup.layout.fetchStateDirectory, 0o700)
        try FetchStatus(summary: summary, start: Date(), end: Date(timeIntervalSince1970: 0))
            .save(directory: setup.layout.fetchStateDirectory)

        let (status, table) = try setup.run(["list"])
        #expect(status == .ok)
        #expect(
            table.contains("support\timap\timap.example.jp\t993\timplicit\ts\t-\t1970-01-01T00:00:00Z login refused"))
        let (_, json) = try setup.run(["list", "--json"])
        #expect(
            json == #"{"name":"support","protocol":"imap","host":"imap.example.jp","port":993,"tls":"implicit","#
                + #""user":"s","keep_days":null,"ca_file":null,"last_fetch":"1970-01-01T00:00:00Z","#
                + #""last_outcome":"failed","last_exit":77,"last_result":"login refused","warnings":[],"#
                + #""approval_required":false,"reply_charset":"utf-8","reply_from":null,"reply_from_name":null,"#
                + #""signature":false}"# + "\n"
                // The database's mailbox without a fetch account (madoguchi init's).
                + #"{"name":"enqueue","protocol":null,"host":null,"port":null,"tls":null,"user":null,"#
                + #""keep_days":null,"ca_file":null,"last_fetch":null,"last_outcome":null,"last_exit":null,"#
                + #""last_result":null,"warnings":[],"approval_required":false,"reply_charset":"utf-8","#
                + #""reply_from":null,"reply_from_name":null,"signature":false}"# + "\n")
        #expect(!table.contains("Hidden-Pass") && !json.contains("Hidden-Pass"))

        #expect(try setup.run(["remove", "nosuch"]).0 == .usage)
        #expect(try setup.run(["remove", "support"]).0 == .ok)
        #expect(try AccountsFile.load(path: setup.path).accounts.isEmpty)
        #expect(try setup.run(["frobnicate"]).0 == .usage)
    }

    @Test("add, add --import-only and remove write the database's mailbox and an audit entry; a refused add neither")
    func databaseAndAudit() throws {
        let setup = try Setup()
        let instance = try InstanceDatabase.open(configuration: setup.context.configuration)
        func mailboxes() throws -> [String] {
            try instance.database.read { try $0.rows("SELECT name FROM mailboxes ORDER BY id") }.compactMap {
                $0.string("name")
            }
        }
        func audit() throws -> [String] {
            try instance.database.read { try $0.rows("SELECT * FROM audit ORDER BY seq") }.map {
                "\($0.string("actor") ?? "") \($0.string("action") ?? "") \($0.string("target") ?? "-") "
                    + "\($0.string("result") ?? "") \($0.string("detail") ?? "-")"
            }
        }
        #expect(try mailboxes() == ["enqueue"])
        #expect(try setup.run(Self.add + ["--password-stdin"], stdin: "pw\n").0 == .ok)
        #expect(try mailboxes() == ["enqueue", "support"])
        // A duplicate account is refused: no second row, no entry.
        #expect(try setup.run(Self.add + ["--password-stdin"], stdin: "pw\n").0 == .usage)
        #expect(try setup.run(["add", "--import-only", "--name", "archive"]).0 == .ok)
        #expect(try setup.run(["add", "--import-only", "--name", "archive"]).0 == .usage)
        #expect(try setup.run(["add", "--import-only", "--name", "a/b"]).0 == .usage)
        #expect(try mailboxes() == ["enqueue", "support", "archive"])
        #expect(try AccountsFile.load(path: setup.path).accounts.map(\.name) == ["support"])
        #expect(try setup.run(["remove", "support"]).0 == .ok)
        #expect(try setup.run(["remove", "nosuch"]).0 == .usage)
        // The mailbox stays in the database with whatever was filed in it.
        #expect(try mailboxes() == ["enqueue", "support", "archive"])
        #expect(
            try audit() == [
                #"cli:test mailbox-add mailbox:2 ok {"import_only":0}"#,
                #"cli:test mailbox-add mailbox:3 ok {"import_only":1}"#,
                "cli:test mailbox-remove mailbox:2 ok -",
            ])
        #expect(try instance.database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
    }

    @Test("tls none: refused for a host that is not loopback unless --allow-plaintext; the fetcher refuses it too")
    func plaintext() throws {
        let setup = try Setup()
        let plain = ["add", "--protocol", "pop3", "--user", "u", "--tls", "none", "--password-stdin"]
        #expect(try setup.run(plain + ["--name", "far", "--host", "pop.example.jp"], stdin: "pw\n").0 == .usage)
        #expect(try AccountsFile.load(path: setup.path).accounts.isEmpty)
        #expect(try setup.run(plain + ["--name", "near", "--host", "127.0.0.1"], stdin: "pw\n").0 == .ok)
        let allowed = plain + ["--name", "far", "--host", "pop.example.jp", "--allow-plaintext"]
        #expect(try setup.run(allowed, stdin: "pw\n").0 == .ok)
        let accounts = try AccountsFile.load(path: setup.path).accounts
        #expect(accounts.map(\.allowPlaintext) == [false, true])
        // An accounts file edited by hand to tls = none is refused before any byte is sent.
        var edited = try #require(accounts.last)
        edited.allowPlaintext = false
        #expect(throws: FetchError.plaintextRefused(mailbox: "far", host: "pop.example.jp")) {
            _ = try MailboxConnector.open(edited, limits: .standard, log: Log(program: "mailbox-test"))
        }
        #expect(FetchAccount.isLoopback("localhost") && FetchAccount.isLoopback("127.0.0.53"))
        #expect(FetchAccount.isLoopback("::1") && !FetchAccount.isLoopback("127.0.0.1.example.jp"))
        #expect(!FetchAccount.isLoopback("10.0.0.1"))
    }

    @Test("list shows a message held on the server as a warning, and each mailbox's own last time")
    func listWarnings() throws {
        let setup = try Setup()
        #expect(try setup.run(Self.add + ["--password-stdin"], stdin: "pw\n").0 == .ok)
        let other = ["add", "--name", "sales", "--protocol", "pop3", "--host", "pop.example.jp", "--user", "t"]
        #expect(try setup.run(other + ["--password-stdin"], stdin: "pw\n").0 == .ok)
        let state = setup.layout.fetchStateDirectory
        mkdir(state, 0o700)
        var held = FetchMailboxResult(mailbox: "support")
        held.held = 1
        held.spooled = 2
        held.warnings = ["1 message(s) held on the server, received size differs from the listed size (u1)"]
        held.exitCode = .dataError
        var first = FetchSummary()
        first.mailboxes = [held, FetchMailboxResult(mailbox: "sales")]
        try FetchStatus(summary: first, start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 60))
            .save(directory: state)
        // A later run of `--mailbox sales` alone.
        var second = FetchSummary()
        second.mailboxes = [FetchMailboxResult(mailbox: "sales")]
        let previous = try FetchStatus.load(directory: state)
        try FetchStatus(
            summary: second, start: Date(timeIntervalSince1970: 120), end: Date(timeIntervalSince1970: 180),
            scope: "sales"
        ).merged(with: previous, accounts: ["support", "sales"]).save(directory: state)

        let (status, table) = try setup.run(["list"])
        #expect(status == .ok)
        #expect(table.contains("\t1970-01-01T00:01:00Z warning: 1 message(s) held on the server"), "\(table)")
        #expect(
            table.contains(
                "sales\tpop3\tpop.example.jp\t995\timplicit\tt\t-\t1970-01-01T00:03:00Z ok\toff\tutf-8\t-\t-\n"))
        let (_, json) = try setup.run(["list", "--json"])
        #expect(json.contains(#""last_fetch":"1970-01-01T00:01:00Z","last_outcome":"warning","last_exit":65,"#))
        #expect(json.contains(#""warnings":["1 message(s) held on the server, received size differs"#))
        #expect(json.contains(#""last_fetch":"1970-01-01T00:03:00Z","last_outcome":"ok","last_exit":0,"#))
    }

    @Test("set changes the reply settings, audited with what was given (no texts); list shows them")
    func setReplySettings() throws {
        let setup = try Setup()
        let signature = setup.directory.file("signature.txt")
        try DurableFile.write(Array("--\r\n株式会社サンプル サポート窓口\r\n03-1234-5678\r\n".utf8), to: signature)
        let arguments = [
            "set", "enqueue", "--approval", "on", "--reply-from", "support@example.co.jp", "--reply-from-name",
            "サンプル サポート", "--charset", "iso-2022-jp", "--signature-file", signature,
        ]
        #expect(try setup.run(arguments).0 == .ok)
        let instance = try InstanceDatabase.open(configuration: setup.context.configuration)
        let settings = try instance.database.read { tx in
            try Mailboxes.replySettings(mailbox: try #require(try Mailboxes.id(named: "enqueue", in: tx)), in: tx)
        }
        #expect(
            settings
                == MailboxReplySettings(
                    approvalRequired: true, charset: .iso2022jp, fromAddress: "support@example.co.jp",
                    fromName: "サンプル サポート", signature: "--\n株式会社サンプル サポート窓口\n03-1234-5678"))
        let entry = try #require(
            try instance.database.read {
                try $0.rows("SELECT actor, action, target, detail FROM audit ORDER BY seq DESC")
            }
            .first)
        #expect(entry.string("actor") == "cli:test" && entry.string("action") == "mailbox-set")
        #expect(
            entry.string("detail")
                == #"{"approval":"on","charset":"iso-2022-jp","reply_from":"set","reply_from_name":"set","signature":"set"}"#
        )
        let (_, table) = try setup.run(["list"])
        #expect(
            table.contains("enqueue\t-\t-\t-\t-\t-\t-\t-\ton\tiso-2022-jp\tサンプル サポート <support@example.co.jp>\tyes\n"))
        let (_, json) = try setup.run(["list", "--json"])
        #expect(
            json.contains(
                #""approval_required":true,"reply_charset":"iso-2022-jp","reply_from":"support@example.co.jp","#))

        #expect(try setup.run(["set", "enqueue", "--no-signature", "--approval", "off"]).0 == .ok)
        let after = try instance.database.read { tx in
            try Mailboxes.replySettings(mailbox: try #require(try Mailboxes.id(named: "enqueue", in: tx)), in: tx)
        }
        #expect(after.signature == nil && !after.approvalRequired && after.fromAddress == "support@example.co.jp")
    }

    @Test(
        "set refuses bad values and changes nothing",
        arguments: [
            (["set", "enqueue"], SysExit.usage), (["set", "--approval", "on"], .usage),
            (["set", "nosuch", "--approval", "on"], .usage), (["set", "enqueue", "--approval", "yes"], .usage),
            (["set", "enqueue", "--charset", "shift_jis"], .usage),
            (["set", "enqueue", "--reply-from", "Support <s@example.jp>"], .usage),
            (["set", "enqueue", "--reply-from", "s@example.jp\r\nBcc: x@evil.test"], .usage),
            (["set", "enqueue", "--reply-from", "サポート@example.jp"], .usage),
            (["set", "enqueue", "--reply-from", "s@-example.jp"], .usage),
            (["set", "enqueue", "--reply-from-name", "a\r\nBcc: x@evil.test"], .usage),
            (["set", "enqueue", "--signature-file", "/nonexistent/sig", "--no-signature"], .usage),
            (["set", "enqueue", "--signature-file", "/nonexistent/sig"], .usage),
        ])
    func setRefuses(arguments: [String], status: SysExit) throws {
        let setup = try Setup()
        #expect(try setup.run(arguments).0 == status)
        let instance = try InstanceDatabase.open(configuration: setup.context.configuration)
        #expect(try instance.database.read { try $0.rows("SELECT 1 FROM audit WHERE action = 'mailbox-set'") }.isEmpty)
        let settings = try instance.database.read { tx in
            try Mailboxes.replySettings(mailbox: try #require(try Mailboxes.id(named: "enqueue", in: tx)), in: tx)
        }
        #expect(settings == MailboxReplySettings())
    }
}
