// FetchLimits from madoguchi.conf, and FetchAccount keeping its password out of
// descriptions and reflection.

import MadoguchiCore
import MadoguchiMail
import Testing

@Suite struct FetchLimitsTests {
    @Test("limits follow the configuration and default sensibly")
    func fromConfig() throws {
        let config = try Configuration.parse(
            "fetch_session_timeout = 2m\nfetch_max_line_length = 8k\nmail_max_message_size = 10M\n", path: "t",
            baseDirectory: "/")
        let limits = FetchLimits(config)
        #expect(limits.sessionTimeout == 120)
        #expect(limits.maxLineLength == 8192)
        #expect(limits.maxMessageSize == 10 * 1024 * 1024)
        #expect(FetchLimits.standard.connectTimeout == 30)
        #expect(FetchLimits.standard.readTimeout == 60)
        #expect(FetchLimits.standard.sessionTimeout == 600)
        #expect(FetchLimits.standard.maxMessages == 500)
    }

    @Test("an account never prints its password")
    func accountDescription() {
        let account = FetchAccount(
            name: "support", mailProtocol: .imap, host: "mail.example.jp", user: "info", password: "pw-Secret-9")
        #expect(account.port == 993)
        #expect(!account.description.contains("pw-Secret-9"))
        #expect(!String(reflecting: account).contains("pw-Secret-9"))
        var dumped = ""
        dump(account, to: &dumped)
        #expect(!dumped.contains("pw-Secret-9"))
    }
}
