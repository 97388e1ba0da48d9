// AddressListParser on the shapes bounces and old mailers write: a named null
// address ("MAILER DAEMON <>") keeps its display name with an empty address.

import Testing

@testable import MadoguchiMail

@Suite struct AddressListParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let raw: String
        let expected: [MailAddress]
        var testDescription: String { raw }
    }

    static let cases: [Case] = [
        Case(raw: "MAILER DAEMON <>", expected: [MailAddress(name: "MAILER DAEMON", address: "")]),
        Case(
            raw: "\"Mail Delivery System\" < >",
            expected: [MailAddress(name: "Mail Delivery System", address: "")]),
        Case(
            raw: "MAILER DAEMON <>, Postmaster <postmaster@example.com>",
            expected: [
                MailAddress(name: "MAILER DAEMON", address: ""),
                MailAddress(name: "Postmaster", address: "postmaster@example.com"),
            ]),
        Case(raw: "<>", expected: []),
        Case(
            raw: "MAILER-DAEMON@Example.COM (Mail Delivery System)",
            expected: [MailAddress(name: "Mail Delivery System", address: "mailer-daemon@example.com")]),
    ]

    @Test("parses null senders and bounce shapes", arguments: cases)
    func parses(_ testCase: Case) {
        #expect(AddressListParser.parse(Array(testCase.raw.utf8)) == testCase.expected)
    }
}
