// UserCommand: `madoguchi user add|list|passwd|lock|unlock`, managing operator accounts
// of the web page through the Access domain functions (madoguchi(8)).
// SECURITY: passwords are read from standard input only (one line, terminal echo off
// when it is a terminal), never from argv, and never printed; every change is audited
// (actor cli:<login>) in the transaction that makes it.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiStore

/// `madoguchi user`.
public enum UserCommand: AdminCommand {
    /// The command word.
    public static let name = "user"

    /// The usage lines (equal to the madoguchi(8) SYNOPSIS entries).
    public static let usage = [
        "madoguchi [-nv] [--config file] user add --login login --name name [--role role] --password-stdin",
        "madoguchi [-nv] [--config file] user list [--json]",
        "madoguchi [-nv] [--config file] user passwd login --password-stdin",
        "madoguchi [-nv] [--config file] user lock login",
        "madoguchi [-nv] [--config file] user unlock login",
    ]

    /// Runs a `user` subcommand.
    /// - Parameter invocation: the `user` words; `--password-stdin` reads the input.
    /// - Returns: the exit status.
    /// - Throws: `UsageError`, `AccessError`, `StoreError`, key and configuration errors.
    public static func run(_ invocation: AdminInvocation) throws -> SysExit {
        guard let sub = invocation.arguments.first else {
            throw UsageError("user needs add, list, passwd, lock or unlock")
        }
        let rest = Array(invocation.arguments.dropFirst())
        let actor = AccessActor(actor: invocation.actor)
        switch sub {
        case "add":
            let parsed = try CommandLineParser.parse(
                rest,
                options: [
                    OptionSpec("--login", takesValue: true), OptionSpec("--name", takesValue: true),
                    OptionSpec("--role", takesValue: true), OptionSpec("--password-stdin"),
                ])
            guard parsed.operands.isEmpty, let login = parsed.value("--login"), let name = parsed.value("--name")
            else { throw UsageError("user add needs --login and --name") }
            try requirePasswordStdin(parsed, sub)
            let role = parsed.value("--role") ?? Role.operator.name
            // Argument errors before the password is read.
            guard Users.isValidLogin(login) else { throw AccessError.invalidLogin }
            guard Users.isValidDisplayName(name) else { throw AccessError.invalidDisplayName }
            guard Role.named(role) != nil else { throw AccessError.unknownRole(role) }
            let password = try readPassword(invocation.input)
            let user = try users(invocation).add(
                login: login, displayName: name, role: role, password: password, by: actor, now: invocation.now())
            invocation.context.log.debug("added user \(user.login) (id \(user.id))")
            return .ok
        case "list":
            let parsed = try CommandLineParser.parse(rest, options: [OptionSpec("--json")])
            guard parsed.operands.isEmpty else { throw UsageError("user list takes no operands") }
            let instance = try InstanceDatabase.open(configuration: invocation.context.configuration)
            let accounts = try instance.database.read { try Users.list(in: $0) }
            let text =
                parsed.has("--json") ? json(accounts, now: invocation.now()) : table(accounts, now: invocation.now())
            try AdminOutput.write(Array(text.utf8), to: invocation.output)
            return .ok
        case "passwd":
            let parsed = try CommandLineParser.parse(rest, options: [OptionSpec("--password-stdin")])
            let login = try singleLogin(parsed.operands, sub)
            try requirePasswordStdin(parsed, sub)
            let password = try readPassword(invocation.input)
            try users(invocation).changePassword(login: login, password: password, by: actor, now: invocation.now())
            return .ok
        case "lock", "unlock":
            let login = try singleLogin(try CommandLineParser.parse(rest, options: []).operands, sub)
            let instance = try InstanceDatabase.open(configuration: invocation.context.configuration)
            let accounts = Users(database: instance.database, hasher: try hasher(invocation))
            if sub == "lock" {
                try accounts.lock(login: login, by: actor, now: invocation.now())
            } else {
                try accounts.unlock(login: login, by: actor, now: invocation.now())
            }
            return .ok
        default:
            throw UsageError("unknown user command \(Log.escape(sub))")
        }
    }

    /// The accounts of the instance database with the configured hasher.
    private static func users(_ invocation: AdminInvocation) throws -> Users {
        let instance = try InstanceDatabase.open(configuration: invocation.context.configuration)
        return Users(database: instance.database, hasher: try hasher(invocation))
    }

    private static func hasher(_ invocation: AdminInvocation) throws -> PasswordHasher {
        try PasswordHasher(configuration: invocation.context.configuration)
    }

    private static func requirePasswordStdin(_ parsed: ParsedArguments, _ sub: String) throws {
        guard parsed.has("--password-stdin") else {
            throw UsageError("user \(sub) needs --password-stdin (the password is never taken from the command line)")
        }
    }

    private static func singleLogin(_ operands: [String], _ sub: String) throws -> String {
        guard operands.count == 1, let login = operands.first, !login.hasPrefix("-") else {
            throw UsageError("user \(sub) needs exactly one login name")
        }
        return login
    }

    /// Reads the password line from `fd` with the terminal's echo turned off while it is read.
    /// - Throws: `MailboxConfigError.invalidSetting` for an empty, over-long or non-UTF-8 line.
    static func readPassword(_ fd: Int32) throws -> String {
        var saved = termios()
        guard isatty(fd) == 1, tcgetattr(fd, &saved) == 0 else { return try MailboxCommand.readPassword(fd) }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        _ = tcsetattr(fd, TCSAFLUSH, &quiet)
        defer { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
        return try MailboxCommand.readPassword(fd)
    }

    /// The list as an aligned table.
    static func table(_ accounts: [UserAccount], now: Int64) -> String {
        let rows = accounts.map { user in
            [
                user.login, AdminOutput.terminalSafe(user.displayName), AdminOutput.terminalSafe(user.roleName),
                state(user, now: now), "\(user.failedLogins)", timestamp(user.passwordChangedAt),
            ]
        }
        return AdminOutput.table(
            header: ["LOGIN", "NAME", "ROLE", "STATE", "FAILURES", "PASSWORD-CHANGED"], rows: rows, rightAligned: [4])
    }

    /// The list as one JSON object per line.
    static func json(_ accounts: [UserAccount], now: Int64) -> String {
        var text = ""
        for user in accounts {
            var out = JSONOutput()
            out.raw("{\"login\":")
            out.string(user.login)
            out.raw(",\"name\":")
            out.string(user.displayName)
            out.raw(",\"role\":")
            out.string(user.roleName)
            out.raw(",\"state\":")
            out.string(state(user, now: now))
            out.raw(",\"failed_logins\":")
            out.integer(user.failedLogins)
            out.raw(",\"locked_until\":")
            out.string(user.lockedUntil.flatMap { $0 > now ? timestamp($0) : nil })
            out.raw(",\"created\":")
            out.string(timestamp(user.createdAt))
            out.raw(",\"password_changed\":")
            out.string(timestamp(user.passwordChangedAt))
            out.raw("}\n")
            text += String(decoding: out.bytes, as: UTF8.self)
        }
        return text
    }

    /// `active`, `locked` (by an administrator) or `locked-out` (after failures).
    private static func state(_ user: UserAccount, now: Int64) -> String {
        user.disabled ? "locked" : user.isLocked(at: now) ? "locked-out" : "active"
    }

    private static func timestamp(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
    }
}
