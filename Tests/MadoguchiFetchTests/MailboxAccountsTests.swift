// The accounts file: round trip of awkward passwords, parse errors that name the
// line and never echo a value, owner and mode checks, 0600 atomic writes, and the
// mailbox name rule.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiFetch
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite struct MailboxAccountsTests {
    static let secret = "p@ss = #word ]\"' 日本 \\ end"

    static let accounts = AccountsFile(accounts: [
        FetchAccount(
            name: "support.jp", mailProtocol: .imap, host: "imap.example.jp", user: "support@example.jp",
            password: secret, caFile: "/etc/ssl/ca.pem", keepDays: 7),
        FetchAccount(
            name: "sales_2", mailProtocol: .pop3, host: "192.0.2.1", port: 110, tls: .starttls, user: "sales",
            password: "x"),
    ])

    @Test("render and parse round-trip any password and every field")
    func roundTrip() throws {
        let text = MailboxAccountsTests.accounts.render()
        #expect(!String(decoding: text, as: UTF8.self).contains(Self.secret))
        #expect(try AccountsFile.parse(text, path: "f") == Self.accounts)
        #expect(Self.accounts.accounts[0].port == 993)
    }

    @Test(
        "a bad line is named and no value is echoed",
        arguments: [
            ("[ok]\nprotocol = imap\nhost = h\nuser = u\npassword = !!notbase64-Secret\n", 5),
            ("[ok]\nprotocol = smtp-Secret\nhost = h\nuser = u\npassword = eA==\n", 2),
            ("protocol = imap\n", 1),
            ("[bad name!]\n", 1),
            ("[ok]\nprotocol = imap\nhost = h\nuser = u\npassword = eA==\nport = 99999\n", 6),
            ("[ok]\nprotocol = imap\nhost = h\nuser = u\n", 1),
            ("[ok]\nprotocol = imap\nhost = h\nuser = u\npassword = eA==\n[ok]\n", 6),
            ("[ok]\nsecret-Secret\n", 2),
            ("[ok]\nprotocol = imap\nprotocol = pop3\n", 3),
            ("# c\n\n[ok]\nprotocol = imap\nhost = h\nuser = u\npassword = eA==\nkeep_days = -1\n", 8),
            ("[ok]\nprotocol = imap\nhost = h\nuser = u\npassword = eA==\ntls = sslv2\n", 6),
        ])
    func badLine(text: String, line: Int) throws {
        let error = #expect(throws: MailboxConfigError.self) {
            _ = try AccountsFile.parse(Array(text.utf8), path: "/x/mailboxes")
        }
        guard case .badAccountsFile(let path, let number, _)? = error else {
            Issue.record("expected badAccountsFile")
            return
        }
        #expect(path == "/x/mailboxes" && number == line)
        #expect(!(error?.description.contains("Secret") ?? true))
        #expect(error?.exitCode == .config)
    }

    @Test("save writes 0600 atomically; load refuses group/other access and foreign owners")
    func permissions() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("fetch/mailboxes")
        #expect(try AccountsFile.load(path: path) == AccountsFile())
        try Self.accounts.save(path: path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(try AccountsFile.load(path: path) == Self.accounts)
        for mode: mode_t in [0o640, 0o604, 0o620] {
            chmod(path, mode)
            #expect(throws: MailboxConfigError.insecureAccountsFile(path: path)) {
                _ = try AccountsFile.load(path: path)
            }
        }
        chmod(path, 0o600)
        if geteuid() == 0 {
            chown(path, 65534, 65534)
            #expect(throws: MailboxConfigError.accountsFileOwner(path: path)) { _ = try AccountsFile.load(path: path) }
            #expect(try AccountsFile.load(path: path, anyOwner: true) == Self.accounts)
            // Root rewriting the fetcher's file keeps its owner.
            try AccountsFile(accounts: []).save(path: path)
            #expect(stat(path, &info) == 0 && info.st_uid == 65534)
        }
        symlink(path, directory.file("link"))
        #expect(throws: SystemError.self) { _ = try AccountsFile.load(path: directory.file("link")) }
    }

    @Test(
        "mailbox names are [A-Za-z0-9._-]{1,63}, so name + ':' + HMAC-SHA256 hex fits an intake id",
        arguments: [
            ("a", true), ("Support.JP_2-x", true), (String(repeating: "a", count: 63), true),
            (String(repeating: "a", count: 64), false), ("", false), ("a b", false), ("a/b", false), ("..", false),
            ("日本", false), ("a]", false),
        ])
    func names(name: String, valid: Bool) throws {
        #expect(AccountsFile.isValidName(name) == valid)
        if valid { #expect(try FetchIdentityKey.generate().intakeID(mailbox: name, raw: [0x41]).count <= 128) }
    }
}
