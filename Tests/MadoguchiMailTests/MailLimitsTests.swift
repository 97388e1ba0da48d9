// MailLimits come from madoguchi.conf.

import MadoguchiCore
import MadoguchiMail
import Testing

@Suite struct MailLimitsTests {
    @Test("limits follow the configuration")
    func fromConfig() throws {
        let config = try Configuration.parse("mail_max_mime_depth = 5\n", path: "t", baseDirectory: "/")
        #expect(MailLimits(config).maxDepth == 5)
        #expect(MailLimits.standard.maxMessageSize == 25 * 1024 * 1024)
    }
}
