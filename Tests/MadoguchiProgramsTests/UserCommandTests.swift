// `madoguchi user add|list|passwd|lock|unlock` end to end on a real instance: exit
// codes, the password only from standard input and never printed or stored in clear,
// sessions ended by passwd and lock, and every change audited by cli:<login>.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiPrograms
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct UserCommandTests {
    static let password = "Ｓｅｃｒｅｔ　ｐａｓｓ　日本語"

    final class Setup {
        let fixture: AdminCommandFixture
        init() throws {
            // A cheap scrypt cost keeps the suite fast.
            fixture = try AdminCommandFixture(extraConfiguration: "password_hash_cost = 10\n")
        }

        /// Runs `user …` with `stdin` as standard input.
        func run(_ arguments: [String], stdin: String = "") throws -> (status: SysExit, output: String, error: String) {
            let file = fixture.directory.file("stdin-\(UUID().uuidString)")
            try stdin.write(toFile: file, atomically: false, encoding: .utf8)
            let input = open(file, O_RDONLY)
            try #require(input >= 0)
            defer { close(input) }
            let context = try fixture.context
            return try fixture.capture { out, err in
                do {
                    return try UserCommand.run(
                        AdminInvocation(
                            arguments: arguments, context: context, input: input, output: out, errorOutput: err,
                            actor: AdminCommandFixture.actor, now: { AdminCommandFixture.nine }))
                } catch {
                    return exitCode(for: error)
                }
            }
        }

        func login(_ login: String, _ password: String, now: Int64 = AdminCommandFixture.nine + 60) throws
            -> LoginSuccess
        {
            let hasher = try PasswordHasher(configuration: fixture.configuration)
            return try Login(database: fixture.instance.database, hasher: hasher).attempt(
                login: login, password: password, peer: "192.0.2.5", userAgent: nil, now: now)
        }
    }

    static let add = ["add", "--login", "yamada", "--name", "山田 太郎", "--password-stdin"]

    @Test("add reads the password from stdin, prints nothing and stores only its hash")
    func add() throws {
        let setup = try Setup()
        let result = try setup.run(Self.add, stdin: Self.password + "\n")
        #expect(result.status == .ok && result.output.isEmpty && result.error.isEmpty)
        let row = try #require(
            try setup.fixture.instance.database.connection.rows("SELECT * FROM users WHERE login = 'yamada'").first)
        #expect(row.string("role") == "operator" && row.string("display_name") == "山田 太郎")
        #expect(row.string("password_hash")?.hasPrefix("$scrypt1$ln=10,") == true)
        // Half-width forms log in (NFKC).
        _ = try setup.login("yamada", "Secret pass 日本語")
        let audit = try setup.fixture.adminAudit()
        #expect(audit.map { $0.string("action") } == ["user-add"])
        #expect(audit.first?.string("detail") == #"{"role":"operator"}"#)
        for text in try setup.fixture.audit().flatMap({ [$0.string("detail"), $0.string("target")] }) {
            #expect(!(text ?? "").contains("Secret"))
        }
        #expect(try setup.fixture.instance.database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
    }

    @Test(
        "bad arguments exit 64 before reading a password; refused passwords and duplicates exit 65",
        arguments: [
            (["add", "--login", "yamada", "--name", "Y"], SysExit.usage),
            (["add", "--login", "yamada", "--name", "Y", "--password", "x", "--password-stdin"], .usage),
            (["add", "--login", "Yamada", "--name", "Y", "--password-stdin"], .usage),
            (["add", "--login", "yamada", "--name", "Y", "--role", "root", "--password-stdin"], .usage),
            (["add", "--login", "yamada", "--name", "", "--password-stdin"], .usage),
            (["passwd", "--password-stdin"], .usage),
            (["lock"], .usage),
            (["frobnicate"], .usage),
            ([], .usage),
            (["lock", "nobody"], .dataError),
            (["passwd", "nobody", "--password-stdin"], .dataError),
        ])
    func badArguments(arguments: [String], status: SysExit) throws {
        let setup = try Setup()
        let result = try setup.run(arguments, stdin: "a perfectly fine password\n")
        #expect(result.status == status)
        #expect(result.output.isEmpty)
    }

    @Test(
        "passwords the policy refuses exit 65 and add nothing",
        arguments: ["short one", "yamada", "password1234", String(repeating: "x", count: 129), ""])
    func weakPasswords(password: String) throws {
        let setup = try Setup()
        let result = try setup.run(Self.add, stdin: password + "\n")
        #expect(result.status == (password.isEmpty ? .usage : .dataError))
        #expect(!result.error.contains(password) || password.count < 7)
        #expect(try setup.fixture.instance.database.connection.rows("SELECT id FROM users").isEmpty)
        #expect(try setup.fixture.adminAudit().isEmpty)
    }

    @Test("a duplicate login exits 65")
    func duplicate() throws {
        let setup = try Setup()
        #expect(try setup.run(Self.add, stdin: Self.password + "\n").status == .ok)
        #expect(try setup.run(Self.add, stdin: "another long password\n").status == .dataError)
    }

    @Test("list shows accounts as a table and as JSON, without any password")
    func list() throws {
        let setup = try Setup()
        #expect(try setup.run(Self.add, stdin: Self.password + "\n").status == .ok)
        #expect(
            try setup.run(
                ["add", "--login", "admin", "--name", "管理者", "--role", "administrator", "--password-stdin"],
                stdin: "the admin passphrase\n"
            ).status == .ok)
        #expect(try setup.run(["lock", "admin"]).status == .ok)
        let table = try setup.run(["list"])
        #expect(table.status == .ok)
        let lines = table.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("LOGIN") && lines[1].hasPrefix("admin") && lines[2].hasPrefix("yamada"))
        #expect(lines[1].contains("administrator") && lines[1].contains("locked"))
        #expect(lines[2].contains("山田 太郎") && lines[2].contains("active"))
        let json = try setup.run(["list", "--json"])
        let objects = json.output.split(separator: "\n").map(String.init)
        #expect(objects.count == 2)
        #expect(objects[1].hasPrefix(#"{"login":"yamada","name":"山田 太郎","role":"operator","state":"active""#))
        for output in [table.output, json.output] {
            #expect(!output.contains("scrypt") && !output.contains("Secret") && !output.contains("passphrase"))
        }
        #expect(try setup.run(["list", "extra"]).status == .usage)
    }

    @Test("passwd and lock end the user's sessions; unlock lets them log in again")
    func passwdLockUnlock() throws {
        let setup = try Setup()
        #expect(try setup.run(Self.add, stdin: Self.password + "\n").status == .ok)
        let session = try setup.login("yamada", Self.password)
        let sessions = Sessions(database: setup.fixture.instance.database)
        let now = AdminCommandFixture.nine + 61
        #expect(
            try setup.run(["passwd", "yamada", "--password-stdin"], stdin: "the second passphrase\r\n").status == .ok)
        #expect(try sessions.lookup(token: session.token, now: now) == .none)
        #expect(throws: AccessError.loginRefused) { try setup.login("yamada", Self.password) }
        let second = try setup.login("yamada", "the second passphrase")
        #expect(try setup.run(["lock", "yamada"]).status == .ok)
        #expect(try sessions.lookup(token: second.token, now: now) == .none)
        #expect(throws: AccessError.loginRefused) { try setup.login("yamada", "the second passphrase") }
        #expect(try setup.run(["unlock", "yamada"]).status == .ok)
        _ = try setup.login("yamada", "the second passphrase")
        let audit = try setup.fixture.adminAudit()
        #expect(audit.map { $0.string("action") } == ["user-add", "user-passwd", "user-lock", "user-unlock"])
        #expect(audit[1].string("detail") == #"{"sessions_ended":1}"#)
        #expect(audit[2].string("detail") == #"{"sessions_ended":1}"#)
        #expect(try setup.fixture.instance.database.read { try AuditLog.firstBrokenEntry(in: $0) } == nil)
    }

    @Test("the built madoguchi takes the password only from stdin and never echoes it", .timeLimit(.minutes(1)))
    func binary() throws {
        let setup = try Setup()
        let config = setup.fixture.layout.configurationFile
        let added = try BuiltProgram.run(
            "madoguchi", ["--config", config, "user", "add", "--login", "sato", "--name", "佐藤", "--password-stdin"],
            input: "binary test passphrase\n", separateErrors: true)
        #expect(added.status == 0 && added.output.isEmpty && added.errors.isEmpty)
        let onArgv = try BuiltProgram.run(
            "madoguchi", ["--config", config, "user", "passwd", "sato", "binary test passphrase"],
            input: "", separateErrors: true)
        #expect(onArgv.status == 64 && !onArgv.errors.contains("binary test") && onArgv.output.isEmpty)
        let listed = try BuiltProgram.run("madoguchi", ["--config", config, "user", "list", "--json"])
        #expect(listed.status == 0 && listed.output.contains(#""login":"sato""#))
        #expect(!listed.output.contains("passphrase"))
        let help = try BuiltProgram.run("madoguchi", ["--help"])
        #expect(help.output.contains("user add --login login --name name [--role role] --password-stdin"))
    }
}
