// Password policy (madoguchi-security(7) E6): 12 to 128 characters after NFKC, checked
// before any hashing work; no composition rules; not the login; not a common password;
// full-width and half-width forms are one password at login.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct AccessPasswordPolicyTests {
    static let policy = PasswordPolicy()

    @Test(
        "the policy's answers",
        arguments: [
            ("short pass", AccessError.passwordTooShort(minimum: 12)),
            (String(repeating: "x", count: 129), AccessError.passwordTooLong),
            ("yamada.taro1", AccessError.passwordIsLogin),
            ("ＹＡＭＡＤＡ．ＴＡＲＯ１", AccessError.passwordIsLogin),
            ("Password1234", AccessError.passwordTooCommon),
            ("aaaaaaaaaaaaaaaa", AccessError.passwordTooCommon),
            ("abcdefghijklmnop", AccessError.passwordTooCommon),
            ("zyxwvutsrqpo", AccessError.passwordTooCommon),
        ])
    func refused(password: String, error: AccessError) {
        #expect(throws: error) { try Self.policy.check(password, login: "yamada.taro1") }
    }

    @Test(
        "any Unicode of 12 to 128 characters is accepted, spaces and emoji included",
        arguments: [
            "correct horse battery staple", "お問い合わせ窓口の合言葉です", "🍣🍣 sushi time 🍵🍵", "ｶﾀｶﾅのﾊﾟｽﾜｰﾄﾞ123",
            String(repeating: "長い合言葉", count: 25) + "123",
        ])
    func accepted(password: String) throws {
        try Self.policy.check(password, login: "yamada")
    }

    @Test("129 characters and a 1 MB field are refused before any hashing work (E6)")
    func tooLongBeforeHashing() throws {
        // The production cost: one hash takes about 0.6 s, so a fast refusal did none.
        let fixture = try LoginFixture(parameters: .standard)
        let users = fixture.users()
        for password in [String(repeating: "あ", count: 129), String(repeating: "x", count: 1 << 20)] {
            let started = Monotonic.now()
            #expect(throws: AccessError.passwordTooLong) {
                try users.add(
                    login: "sato", displayName: "佐藤", role: "operator", password: password, by: LoginFixture.admin,
                    now: LoginFixture.start)
            }
            #expect(Monotonic.now() - started < 0.25)
        }
        #expect(try fixture.audit().isEmpty)
    }

    @Test("a refused login with an over-long password spends no hashing work and counts no failure")
    func loginTooLongBeforeHashing() throws {
        let fixture = try LoginFixture()
        try fixture.addUser()
        let production = PasswordHasher(master: fixture.master)
        let login = fixture.login(hasher: production)
        for password in [String(repeating: "x", count: 129), String(repeating: "x", count: 1 << 20)] {
            let started = Monotonic.now()
            #expect(throws: AccessError.loginRefused) {
                try login.attempt(login: "yamada", password: password, peer: "192.0.2.1", userAgent: nil, now: 1)
            }
            #expect(Monotonic.now() - started < 0.25)
        }
        #expect(try fixture.account()?.failedLogins == 0)
        let details = try fixture.audit().filter { $0.string("action") == "login-failed" }.map { $0.string("detail") }
        #expect(details == [#"{"reason":"too-long"}"#, #"{"reason":"too-long"}"#])
    }

    @Test("a 64-character passphrase is accepted and logs in; nothing is truncated")
    func longPassphrase() throws {
        let fixture = try LoginFixture()
        let passphrase = "the quick brown fox jumps over the lazy dog near the river bank!"
        #expect(passphrase.count == 64)
        try fixture.addUser(password: passphrase)
        _ = try fixture.logIn(password: passphrase, at: LoginFixture.start + 10)
        fixture.refused(password: String(passphrase.dropLast()), at: LoginFixture.start + 20)
        fixture.refused(password: passphrase + "x", at: LoginFixture.start + 30)
    }

    @Test("full-width and half-width forms are the same password after NFKC (E6)")
    func nfkcEquivalence() throws {
        let fixture = try LoginFixture()
        try fixture.addUser(password: "Ｍａｄｏｇｕｃｈｉ　ｐａｓｓ　２０２６")
        _ = try fixture.logIn(password: "Madoguchi pass 2026", at: LoginFixture.start + 10)
        try fixture.users().changePassword(
            login: "yamada", password: "ﾏﾄﾞｸﾞﾁのﾊﾟｽﾜｰﾄﾞ2026", by: LoginFixture.admin, now: LoginFixture.start + 20)
        _ = try fixture.logIn(password: "マドグチのパスワード2026", at: LoginFixture.start + 30)
    }
}
