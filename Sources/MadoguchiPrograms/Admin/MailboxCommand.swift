// MailboxCommand: `madoguchi mailbox add|list|remove|set|test`, managing the fetcher's
// accounts file and the database's mailboxes: `add` creates both (mail for a mailbox
// the database does not have is held by scan-and-file), `add --import-only` only the
// database's, for mail brought in with `madoguchi enqueue`; `set` changes a database
// mailbox's reply settings (approval, From, charset, signature).
// SECURITY: the password is read from stdin only (one line), never from argv, and is
// never printed; the accounts file stays 0600 and keeps its owner. add, remove, set and test
// are audited (actor cli:<login>); the entry commits with the database change.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiFetch
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// `madoguchi mailbox`.
public enum MailboxCommand: AdminCommand {
    /// The command word.
    public static let name = "mailbox"

    /// The usage lines (equal to the madoguchi(8) SYNOPSIS entries).
    public static let usage = [
        "madoguchi [-nv] [--config file] mailbox add --name name --protocol pop3|imap --host host [--port port] "
            + "[--tls implicit|starttls|none] [--allow-plaintext] --user user --password-stdin [--ca-file file] "
            + "[--keep-days n]",
        "madoguchi [-nv] [--config file] mailbox add --import-only --name name",
        "madoguchi [-nv] [--config file] mailbox list [--json]",
        "madoguchi [-nv] [--config file] mailbox remove name",
        "madoguchi [-nv] [--config file] mailbox set name [--approval on|off] [--reply-from address] "
            + "[--reply-from-name name] [--charset utf-8|iso-2022-jp] [--signature-file file | --no-signature]",
        "madoguchi [-nv] [--config file] mailbox test name",
    ]

    /// Runs a `mailbox` subcommand.
    /// - Parameter invocation: the `mailbox` words; `--password-stdin` reads the input.
    /// - Returns: the exit status.
    /// - Throws: `UsageError`, `MailboxConfigError`, `LockError`, `SystemError`, and for
    ///   `test` the connection's `FetchError`/`TLSError`/`NetworkError`.
    public static func run(_ invocation: AdminInvocation) throws -> SysExit {
        let arguments = invocation.arguments
        let context = invocation.context
        let input = invocation.input
        let output = invocation.output
        guard let sub = arguments.first else { throw UsageError("mailbox needs add, list, remove, set or test") }
        let rest = Array(arguments.dropFirst())
        let path = context.configuration[.fetchAccountsFile]
        switch sub {
        case "add" where rest.contains("--import-only"):
            let parsed = try CommandLineParser.parse(
                rest, options: [OptionSpec("--import-only"), OptionSpec("--name", takesValue: true)])
            guard parsed.operands.isEmpty, let name = parsed.value("--name") else {
                throw UsageError("mailbox add --import-only needs --name and nothing else")
            }
            guard AccountsFile.isValidName(name) else { throw MailboxConfigError.invalidSetting(AccountsFile.nameRule) }
            try recorded(invocation, action: .mailboxAdd, detail: ["import_only": 1]) { tx, now in
                let (id, created) = try Mailboxes.create(name, in: tx, now: now)
                guard created else { throw MailboxConfigError.duplicateMailbox(name) }
                return id
            }
            return .ok
        case "add":
            let account = try parseAdd(rest, input: input)
            if account.tls == .none {
                context.log.warning(
                    "mailbox \(account.name): tls = none sends the password and the mail in plaintext")
            }
            // The database's mailbox and the fetch account together, audited: the accounts
            // file is rewritten inside the transaction, so a refused account (a duplicate
            // name) leaves no row and no entry.
            try recorded(invocation, action: .mailboxAdd, detail: ["import_only": 0]) { tx, now in
                let (id, _) = try Mailboxes.create(account.name, in: tx, now: now)
                try update(context) { file in
                    guard file.account(named: account.name) == nil else {
                        throw MailboxConfigError.duplicateMailbox(account.name)
                    }
                    file.accounts.append(account)
                }
                return id
            }
            return .ok
        case "remove":
            let name = try singleName(rest, sub)
            // The fetch account goes; the database's mailbox stays with the mail filed in it.
            try recorded(invocation, action: .mailboxRemove) { tx, _ in
                try update(context) { file in
                    guard file.account(named: name) != nil else { throw MailboxConfigError.unknownMailbox(name) }
                    file.accounts.removeAll { $0.name == name }
                }
                return try Mailboxes.id(named: name, in: tx)
            }
            return .ok
        case "list":
            let parsed = try CommandLineParser.parse(rest, options: [OptionSpec("--json")])
            guard parsed.operands.isEmpty else { throw UsageError("mailbox list takes no operands") }
            let file = try AccountsFile.load(path: path, anyOwner: geteuid() == 0)
            let instance = try InstanceDatabase.open(configuration: context.configuration)
            let settings = try instance.database.read { try Mailboxes.allReplySettings(in: $0) }
            let status: FetchStatus?
            do {
                status = try FetchStatus.load(directory: context.configuration[.fetchStateDirectory])
            } catch {
                context.log.debug("no fetch status: \(error)")
                status = nil
            }
            FileDescriptorWriter.writeAll(
                output, Array(list(file, status: status, settings: settings, json: parsed.has("--json")).utf8))
            return .ok
        case "set":
            try set(rest, invocation)
            return .ok
        case "test":
            let name = try singleName(rest, sub)
            let file = try AccountsFile.load(path: path, anyOwner: geteuid() == 0)
            guard let account = file.account(named: name) else { throw MailboxConfigError.unknownMailbox(name) }
            // Audited whatever the outcome: the test sends the stored password to the server.
            let report: String
            do {
                report = try test(account, context: context)
            } catch {
                try recorded(invocation, action: .mailboxTest, result: .failed) { tx, _ in
                    try Mailboxes.id(named: name, in: tx)
                }
                throw error
            }
            try recorded(invocation, action: .mailboxTest) { tx, _ in try Mailboxes.id(named: name, in: tx) }
            FileDescriptorWriter.writeAll(output, Array(report.utf8))
            return .ok
        default:
            throw UsageError("unknown mailbox command \(Log.escape(sub))")
        }
    }

    /// Runs `change` in a write transaction of the instance database and appends its audit
    /// entry there: `action` on `mailbox:<id>` (the id `change` returns; nil when the
    /// database has no such mailbox).
    /// - Throws: whatever `change` throws (then nothing is recorded), `StoreError`, key errors.
    private static func recorded(
        _ invocation: AdminInvocation, action: AuditAction, result: AuditResult = .ok, detail: [String: Int]? = nil,
        _ change: (DatabaseTransaction, Int64) throws -> Int64?
    ) throws {
        let instance = try InstanceDatabase.open(configuration: invocation.context.configuration)
        let now = invocation.now()
        try instance.database.write { tx in
            let id = try change(tx, now)
            try AuditLog.append(
                AuditEvent(
                    actor: invocation.actor, action: action, target: id.map { "mailbox:\($0)" }, result: result,
                    detail: detail.map(AuditDetail.counts)), in: tx, now: Date(timeIntervalSince1970: Double(now)))
        }
    }

    /// `mailbox set NAME …`: changes the database mailbox's reply settings and appends
    /// the `mailbox-set` entry (detail: the settings given, texts as `set`/`removed`) in
    /// the same transaction.
    /// - Throws: `UsageError`, `MailboxConfigError.unknownMailbox`/`.invalidSetting` (also
    ///   an unreadable signature file), `StoreError`.
    static func set(_ arguments: [String], _ invocation: AdminInvocation) throws {
        let valued = ["--approval", "--reply-from", "--reply-from-name", "--charset", "--signature-file"]
        let parsed = try CommandLineParser.parse(
            arguments, options: valued.map { OptionSpec($0, takesValue: true) } + [OptionSpec("--no-signature")])
        guard parsed.operands.count == 1, let name = parsed.operands.first else {
            throw UsageError("mailbox set needs exactly one mailbox name")
        }
        var change = MailboxReplySettings.Change()
        if let approval = parsed.value("--approval") {
            guard approval == "on" || approval == "off" else {
                throw MailboxConfigError.invalidSetting("--approval must be on or off")
            }
            change.approvalRequired = approval == "on"
        }
        if let charset = parsed.value("--charset") {
            guard let value = MailboxReplySettings.Charset(rawValue: charset) else {
                throw MailboxConfigError.invalidSetting("--charset must be utf-8 or iso-2022-jp")
            }
            change.charset = value
        }
        change.fromAddress = parsed.value("--reply-from")
        change.fromName = parsed.value("--reply-from-name")
        if let file = parsed.value("--signature-file") {
            guard !parsed.has("--no-signature") else {
                throw UsageError("mailbox set takes --signature-file or --no-signature, not both")
            }
            let bytes: [UInt8]
            do {
                bytes = try DurableFile.read(file, limit: 64 << 10)
            } catch let error as SystemError {
                throw MailboxConfigError.invalidSetting(
                    "--signature-file \(Log.escape(file)): \(error.code == EFBIG ? "larger than 64 KiB" : "\(error)")")
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw MailboxConfigError.invalidSetting("the signature file \(Log.escape(file)) is not UTF-8 text")
            }
            change.signature = .some(text)
        } else if parsed.has("--no-signature") {
            change.signature = .some(nil)
        }
        guard !change.isEmpty else { throw UsageError("mailbox set needs at least one setting") }
        let instance = try InstanceDatabase.open(configuration: invocation.context.configuration)
        let now = invocation.now()
        try instance.database.write { tx in
            guard let id = try Mailboxes.id(named: name, in: tx) else { throw MailboxConfigError.unknownMailbox(name) }
            let detail: [String: String]
            do {
                detail = try Mailboxes.setReplySettings(mailbox: id, change, now: now, in: tx)
            } catch AnsweringError.invalidSetting(let reason) {
                throw MailboxConfigError.invalidSetting(reason)
            }
            try AuditLog.append(
                AuditEvent(
                    actor: invocation.actor, action: .mailboxSet, target: "mailbox:\(id)",
                    detail: AuditDetail.words(detail)), in: tx, now: Date(timeIntervalSince1970: Double(now)))
        }
    }

    /// Parses `mailbox add` options and reads the password from `input`.
    /// - Throws: `UsageError`, `MailboxConfigError.invalidSetting`.
    static func parseAdd(_ arguments: [String], input: Int32) throws -> FetchAccount {
        let valued = ["--name", "--protocol", "--host", "--port", "--tls", "--user", "--ca-file", "--keep-days"]
        let parsed = try CommandLineParser.parse(
            arguments,
            options: valued.map { OptionSpec($0, takesValue: true) } + [
                OptionSpec("--password-stdin"), OptionSpec("--allow-plaintext"),
            ])
        guard parsed.operands.isEmpty else { throw UsageError("mailbox add takes no operands") }
        for required in ["--name", "--protocol", "--host", "--user"] where parsed.value(required) == nil {
            throw UsageError("mailbox add needs \(required)")
        }
        guard parsed.has("--password-stdin") else {
            throw UsageError("mailbox add needs --password-stdin (the password is never taken from the command line)")
        }
        let name = parsed.value("--name") ?? ""
        guard AccountsFile.isValidName(name) else {
            throw MailboxConfigError.invalidSetting(AccountsFile.nameRule)
        }
        guard let mailProtocol = MailProtocol(rawValue: parsed.value("--protocol") ?? "") else {
            throw MailboxConfigError.invalidSetting("--protocol must be pop3 or imap")
        }
        guard let tls = TLSMode(rawValue: parsed.value("--tls") ?? "implicit") else {
            throw MailboxConfigError.invalidSetting("--tls must be implicit, starttls or none")
        }
        var port: UInt16?
        if let text = parsed.value("--port") {
            guard let number = UInt16(text), number > 0 else {
                throw MailboxConfigError.invalidSetting("--port must be 1 to 65535")
            }
            port = number
        }
        let host = parsed.value("--host") ?? ""
        guard isPlainValue(host), !host.contains(" "), host.utf8.count <= 255 else {
            throw MailboxConfigError.invalidSetting("--host must be a host name or IP address")
        }
        let user = parsed.value("--user") ?? ""
        guard isPlainValue(user), user.utf8.count <= 255 else {
            throw MailboxConfigError.invalidSetting("--user must be one line without leading or trailing blanks")
        }
        var caFile: String?
        if let file = parsed.value("--ca-file") {
            guard isPlainValue(file), file.hasPrefix("/") else {
                throw MailboxConfigError.invalidSetting("--ca-file must be an absolute path")
            }
            guard access(file, R_OK) == 0 else { throw SystemError.current("read \(file)") }
            caFile = file
        }
        var keepDays: Int?
        if let text = parsed.value("--keep-days") {
            guard let days = Int(text), (0...36500).contains(days) else {
                throw MailboxConfigError.invalidSetting("--keep-days must be a number of days from 0 to 36500")
            }
            keepDays = days
        }
        // Plaintext beyond this machine only on an explicit request (madoguchi-security(7), TLS).
        if tls == .none && !FetchAccount.isLoopback(host) && !parsed.has("--allow-plaintext") {
            throw MailboxConfigError.invalidSetting(
                "--tls none sends the password and the mail in plaintext to \(Log.escape(host)); "
                    + "add --allow-plaintext if that is really wanted")
        }
        let password = try readPassword(input)
        return FetchAccount(
            name: name, mailProtocol: mailProtocol, host: host, port: port, tls: tls, user: user, password: password,
            caFile: caFile, keepDays: keepDays, allowPlaintext: tls == .none && parsed.has("--allow-plaintext"))
    }

    /// Non-empty, no control characters, no surrounding blanks (it must survive the file format).
    private static func isPlainValue(_ value: String) -> Bool {
        !value.isEmpty && value.trimmingCharacters(in: .whitespaces) == value
            && !value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Reads one line (the password) from `fd`, without its line end.
    /// - Throws: `MailboxConfigError.invalidSetting` for an empty or non-UTF-8 password.
    static func readPassword(_ fd: Int32) throws -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count <= 4096 {
            let count = read(fd, &byte, 1)
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("read password from standard input")
            }
            if count == 0 || byte == 0x0A { break }
            bytes.append(byte)
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty, bytes.count <= 4096, let password = String(validating: bytes, as: UTF8.self),
            !password.unicodeScalars.contains(where: { $0.value < 0x20 })
        else {
            throw MailboxConfigError.invalidSetting(
                "the password (one line on standard input) is empty, too long or not UTF-8 text")
        }
        return password
    }

    private static func singleName(_ arguments: [String], _ sub: String) throws -> String {
        guard arguments.count == 1, let name = arguments.first, !name.hasPrefix("-") else {
            throw UsageError("mailbox \(sub) needs exactly one mailbox name")
        }
        return name
    }

    /// Read-modify-write of the accounts file under a lock, keeping its owner.
    private static func update(_ context: ToolContext, _ change: (inout AccountsFile) throws -> Void) throws {
        let path = context.configuration[.fetchAccountsFile]
        let lock = try ProcessLock(path: context.configuration[.lockDirectory] + "/mailbox-accounts.lock")
        defer { lock.release() }
        var file = try AccountsFile.load(path: path, anyOwner: geteuid() == 0)
        try change(&file)
        try file.save(path: path)
    }

    /// The `list` output: a table, or one JSON object per line. Each mailbox shows its
    /// own last result and time (a run that failed as a whole counts for the mailboxes
    /// it was to fetch); a message left on the server shows as a warning, never as ok.
    /// Then its reply settings, and after the accounts the database's mailboxes without
    /// one (`add --import-only`), their fetch fields `-` (null in JSON).
    static func list(
        _ file: AccountsFile, status: FetchStatus?, settings: [(name: String, settings: MailboxReplySettings)] = [],
        json: Bool
    ) -> String {
        var text =
            json
            ? ""
            : "NAME\tPROTOCOL\tHOST\tPORT\tTLS\tUSER\tKEEP-DAYS\tLAST-FETCH\tAPPROVAL\tCHARSET\tREPLY-FROM\tSIGNATURE\n"
        let byName = Dictionary(settings.map { ($0.name, $0.settings) }, uniquingKeysWith: { first, _ in first })
        for account in file.accounts {
            let last = status?.lastResult(of: account.name)
            let reply = byName[account.name]
            if json {
                var out = JSONOutput()
                out.raw("{\"name\":")
                out.string(account.name)
                out.raw(",\"protocol\":")
                out.string(account.mailProtocol.rawValue)
                out.raw(",\"host\":")
                out.string(account.host)
                out.raw(",\"port\":")
                out.integer(Int(account.port))
                out.raw(",\"tls\":")
                out.string(account.tls.rawValue)
                out.raw(",\"user\":")
                out.string(account.user)
                out.raw(",\"keep_days\":")
                if let days = account.keepDays { out.integer(days) } else { out.raw("null") }
                out.raw(",\"ca_file\":")
                out.string(account.caFile)
                out.raw(",\"last_fetch\":")
                out.string(last?.end)
                out.raw(",\"last_outcome\":")
                out.string(last?.outcome)
                out.raw(",\"last_exit\":")
                if let last { out.integer(Int(last.exit)) } else { out.raw("null") }
                out.raw(",\"last_result\":")
                out.string(last?.text)
                out.raw(",\"warnings\":")
                out.strings(last?.warnings ?? [])
                replyJSON(reply, &out)
                text += String(decoding: out.bytes, as: UTF8.self)
            } else {
                text +=
                    ([
                        account.name, account.mailProtocol.rawValue, Log.escape(account.host), "\(account.port)",
                        account.tls.rawValue, Log.escape(account.user), account.keepDays.map { "\($0)" } ?? "-",
                        last.map { "\($0.end) \(Log.escape($0.text))" } ?? "-",
                    ] + replyColumns(reply)).joined(separator: "\t") + "\n"
            }
        }
        for (name, reply) in settings where file.account(named: name) == nil {
            if json {
                var out = JSONOutput()
                out.raw("{\"name\":")
                out.string(name)
                out.raw(
                    """
                    ,"protocol":null,"host":null,"port":null,"tls":null,"user":null,"keep_days":null,"ca_file":null,\
                    "last_fetch":null,"last_outcome":null,"last_exit":null,"last_result":null,"warnings":[]
                    """)
                replyJSON(reply, &out)
                text += String(decoding: out.bytes, as: UTF8.self)
            } else {
                text +=
                    ([Log.escape(name)] + Array(repeating: "-", count: 7) + replyColumns(reply))
                    .joined(separator: "\t") + "\n"
            }
        }
        return text
    }

    /// The reply settings' table columns: approval, charset, From, signature.
    private static func replyColumns(_ reply: MailboxReplySettings?) -> [String] {
        guard let reply else { return ["-", "-", "-", "-"] }
        let from = reply.fromAddress.map { address in
            reply.fromName.map { "\(Log.escape($0)) <\(address)>" } ?? address
        }
        return [
            reply.approvalRequired ? "on" : "off", reply.charset.rawValue, from ?? "-",
            reply.signature == nil ? "-" : "yes",
        ]
    }

    /// The reply settings' JSON keys, and the object's end.
    private static func replyJSON(_ reply: MailboxReplySettings?, _ out: inout JSONOutput) {
        out.raw(",\"approval_required\":")
        if let reply { out.raw(reply.approvalRequired ? "true" : "false") } else { out.raw("null") }
        out.raw(",\"reply_charset\":")
        out.string(reply?.charset.rawValue)
        out.raw(",\"reply_from\":")
        out.string(reply?.fromAddress)
        out.raw(",\"reply_from_name\":")
        out.string(reply?.fromName)
        out.raw(",\"signature\":")
        if let reply { out.raw(reply.signature == nil ? "false" : "true") } else { out.raw("null") }
        out.raw("}\n")
    }

    /// Connects, authenticates, lists and reports.
    /// - Throws: the session's errors (authentication 77, unreachable 69/75, TLS).
    static func test(_ account: FetchAccount, context: ToolContext) throws -> String {
        let session = try MailboxConnector.open(account, limits: FetchLimits(context.configuration), log: context.log)
        defer {
            do { try session.close() } catch { context.log.debug("close: \(error)") }
        }
        let messages = try session.list()
        var text =
            "mailbox \(account.name): \(account.mailProtocol.rawValue) \(Log.escape(account.host)):\(account.port)"
        text += ", user \(Log.escape(account.user)): login OK\n"
        if let tls = session.tls {
            text += "tls: \(tls.protocolVersion) \(tls.cipher)\n"
            text += "certificate: \(Log.escape(tls.peerSubject)), expires \(tls.peerNotAfter)\n"
        } else {
            text += "tls: none (plaintext)\n"
        }
        if !session.validity.isEmpty { text += "uidvalidity: \(session.validity)\n" }
        text += "messages: \(messages.count), total size: \(messages.reduce(0) { $0 + $1.size }) bytes\n"
        try session.close()
        return text
    }
}
