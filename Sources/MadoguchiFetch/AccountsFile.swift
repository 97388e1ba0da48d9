// AccountsFile: the fetcher's mailbox list (`fetch_accounts_file`), an INI-like file
// with one `[name]` section per mailbox. SECURITY: it holds the mailbox passwords
// (base64, so any character survives), is refused unless owned by the running user
// and closed to group and others, is written atomically with mode 0600, and parse
// errors name the line but never echo a value.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail

/// The mailbox accounts of fetch-forwarded-mail.
public struct AccountsFile: Sendable, Equatable {
    /// The mailboxes in file order.
    public var accounts: [FetchAccount]

    /// Largest accounts file read (a few hundred mailboxes fit easily).
    public static let sizeLimit = 1 << 20

    /// Creates a list.
    public init(accounts: [FetchAccount] = []) { self.accounts = accounts }

    /// The longest mailbox name: an intake id is the name, a colon and 64 hex digits,
    /// and the database allows 128 characters.
    public static let maximumNameLength = 63

    /// What a mailbox name may be, for error messages.
    public static let nameRule = "mailbox names are 1 to \(maximumNameLength) of A-Z a-z 0-9 . _ -"

    /// Whether `name` is a valid mailbox name: `[A-Za-z0-9._-]{1,63}`.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return (1...maximumNameLength).contains(bytes.count)
            && bytes.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x2E || byte == 0x5F || byte == 0x2D
            } && name != "." && name != ".."
    }

    /// The account named `name`, if any.
    public func account(named name: String) -> FetchAccount? {
        accounts.first { $0.name == name }
    }

    /// Loads the file; a missing file is an empty list.
    /// - Parameters:
    ///   - path: the file.
    ///   - anyOwner: accept a file owned by another user (root managing the fetcher's file).
    /// - Throws: `MailboxConfigError.insecureAccountsFile` / `.accountsFileOwner` for
    ///   unsafe permissions, `.badAccountsFile` for a syntax error, `SystemError` for I/O.
    public static func load(path: String, anyOwner: Bool = false) throws -> AccountsFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT { return AccountsFile() }
            throw SystemError.current("open \(path)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError.current("stat \(path)") }
        guard anyOwner || info.st_uid == geteuid() else { throw MailboxConfigError.accountsFileOwner(path: path) }
        guard info.st_mode & 0o077 == 0 else { throw MailboxConfigError.insecureAccountsFile(path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= sizeLimit else {
            throw MailboxConfigError.badAccountsFile(path: path, line: 0, reason: "not a regular file of at most 1 MB")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("read \(path)")
            }
            if count == 0 { break }
            bytes += buffer[0..<count]
            guard bytes.count <= sizeLimit else {
                throw MailboxConfigError.badAccountsFile(path: path, line: 0, reason: "larger than 1 MB")
            }
        }
        return try parse(bytes, path: path)
    }

    /// Parses the file text.
    /// - Parameters:
    ///   - bytes: the file contents (UTF-8).
    ///   - path: the file name for error messages.
    /// - Throws: `MailboxConfigError.badAccountsFile` naming the line (never a value).
    public static func parse(_ bytes: [UInt8], path: String) throws -> AccountsFile {
        func bad(_ line: Int, _ reason: String) -> MailboxConfigError {
            .badAccountsFile(path: path, line: line, reason: reason)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw bad(0, "not valid UTF-8") }
        var sections: [(name: String, line: Int, values: [String: (String, Int)])] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count >= 3 else { throw bad(number, "malformed section header") }
                let name = String(line.dropFirst().dropLast())
                guard isValidName(name) else {
                    throw bad(number, nameRule)
                }
                guard !sections.contains(where: { $0.name == name }) else {
                    throw bad(number, "mailbox \(name) appears twice")
                }
                sections.append((name, number, [:]))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { throw bad(number, "expected key = value") }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard Self.keys.contains(key) else { throw bad(number, "unknown key \(Log.escape(key))") }
            guard !sections.isEmpty else { throw bad(number, "setting outside a [mailbox] section") }
            guard sections[sections.count - 1].values[key] == nil else { throw bad(number, "\(key) given twice") }
            sections[sections.count - 1].values[key] = (value, number)
        }
        var accounts: [FetchAccount] = []
        for section in sections {
            for key in ["protocol", "host", "user", "password"] where section.values[key] == nil {
                throw bad(section.line, "mailbox \(section.name) has no \(key)")
            }
            let values = section.values
            func value(_ key: String) -> String { values[key]?.0 ?? "" }
            func line(_ key: String) -> Int { values[key]?.1 ?? section.line }
            guard let mailProtocol = MailProtocol(rawValue: value("protocol")) else {
                throw bad(line("protocol"), "protocol must be pop3 or imap")
            }
            var tls = TLSMode.implicit
            if values["tls"] != nil {
                guard let mode = TLSMode(rawValue: value("tls")) else {
                    throw bad(line("tls"), "tls must be implicit, starttls or none")
                }
                tls = mode
            }
            var port: UInt16?
            if values["port"] != nil {
                guard let number = UInt16(value("port")), number > 0 else {
                    throw bad(line("port"), "port must be 1 to 65535")
                }
                port = number
            }
            let host = value("host")
            guard !host.isEmpty, host.utf8.count <= 255, !host.contains(where: { $0.isWhitespace }) else {
                throw bad(line("host"), "bad host name")
            }
            let user = value("user")
            guard !user.isEmpty else { throw bad(line("user"), "user is empty") }
            guard let decoded = Data(base64Encoded: value("password")),
                let password = String(validating: Array(decoded), as: UTF8.self), !password.isEmpty
            else {
                throw bad(line("password"), "password is not base64 of a UTF-8 text")
            }
            var keepDays: Int?
            if values["keep_days"] != nil {
                guard let days = Int(value("keep_days")), (0...36500).contains(days) else {
                    throw bad(line("keep_days"), "keep_days must be a number of days from 0 to 36500")
                }
                keepDays = days
            }
            var caFile: String?
            if values["ca_file"] != nil {
                guard value("ca_file").hasPrefix("/") else { throw bad(line("ca_file"), "ca_file must be absolute") }
                caFile = value("ca_file")
            }
            var allowPlaintext = false
            if values["allow_plaintext"] != nil {
                guard ["yes", "no"].contains(value("allow_plaintext")) else {
                    throw bad(line("allow_plaintext"), "allow_plaintext must be yes or no")
                }
                allowPlaintext = value("allow_plaintext") == "yes"
            }
            accounts.append(
                FetchAccount(
                    name: section.name, mailProtocol: mailProtocol, host: host, port: port, tls: tls, user: user,
                    password: password, caFile: caFile, keepDays: keepDays, allowPlaintext: allowPlaintext))
        }
        return AccountsFile(accounts: accounts)
    }

    /// The keys a section may hold.
    static let keys: Set<String> = [
        "protocol", "host", "port", "tls", "user", "password", "ca_file", "keep_days", "allow_plaintext",
    ]

    /// The file text.
    public func render() -> [UInt8] {
        var text =
            "# Madoguchi fetch accounts: managed by `madoguchi mailbox add|remove`, read by\n"
            + "# fetch-forwarded-mail(8). Holds passwords: keep it mode 0600.\n"
        for account in accounts {
            text += "\n[\(account.name)]\nprotocol = \(account.mailProtocol.rawValue)\nhost = \(account.host)\n"
            text += "port = \(account.port)\ntls = \(account.tls.rawValue)\nuser = \(account.user)\n"
            text += "password = \(Data(account.password.utf8).base64EncodedString())\n"
            if let caFile = account.caFile { text += "ca_file = \(caFile)\n" }
            if let keepDays = account.keepDays { text += "keep_days = \(keepDays)\n" }
            if account.allowPlaintext { text += "allow_plaintext = yes\n" }
        }
        return Array(text.utf8)
    }

    /// Writes the file atomically (tmp, fsync, rename) with mode 0600, creating its
    /// directory (0700) if missing. Run as root, the new file keeps the owner of the
    /// old one (or of the directory), so the fetcher's user can still read it.
    /// - Throws: `SystemError`.
    public func save(path: String) throws {
        let directory = DurableFile.parentDirectory(of: path)
        if mkdir(directory, 0o700) != 0 && errno != EEXIST { throw SystemError.current("mkdir \(directory)") }
        var owner = stat()
        let known = stat(path, &owner) == 0 || stat(directory, &owner) == 0
        try DurableFile.write(render(), to: path, mode: 0o600, replace: true)
        if geteuid() == 0, known, owner.st_uid != 0 {
            guard chown(path, owner.st_uid, owner.st_gid) == 0 else { throw SystemError.current("chown \(path)") }
        }
    }
}
