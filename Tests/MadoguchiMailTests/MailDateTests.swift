// MailDate: RFC 5322 and obsolete date forms to Unix seconds, the lenient forms
// real mailers write (other languages, D-Mon-Y, asctime), invalid ones to nil, and
// the ISO 8601 form inspect-mail prints.

import Testing

@testable import MadoguchiMail

@Suite struct MailDateTests {
    static let cases: [(String, String?)] = [
        ("Tue, 4 Apr 2023 10:00:00 +0900", "2023-04-04T01:00:00Z"),
        ("Tue,  4 Apr 2023 10:00:00 +0900 (JST)", "2023-04-04T01:00:00Z"),
        ("4 Apr 2023 01:00 GMT", "2023-04-04T01:00:00Z"),
        ("Tue, 04 Apr 2023 01:00:00 UT", "2023-04-04T01:00:00Z"),
        ("Tue, 4 Apr 23 10:00:00 JST", "2023-04-04T01:00:00Z"),
        ("Sat, 1 Jan 99 00:00:00 PST", "1999-01-01T08:00:00Z"),
        ("Wed, 29 Feb 2024 12:00:00 -0000", "2024-02-29T12:00:00Z"),
        ("Thu, 31 Dec 1998 23:59:60 +0000", "1999-01-01T00:00:00Z"),
        ("1 Jan 2000 00:00:00 A", "2000-01-01T00:00:00Z"),
        ("Mon, 3 Apr 2023 08:00:00", "2023-04-03T08:00:00Z"),
        ("Fri, 30 Feb 2024 12:00:00 +0000", nil),
        ("Mon, 3 Foo 2023 08:00:00 +0000", nil),
        ("Mon, 3 Apr 2023 24:00:00 +0000", nil),
        ("Mon, 3 Apr 2023 08:61:00 +0000", nil),
        ("Mon, 3 Apr 2023 08:00:00 +0960", nil),
        ("2023-04-04T01:00:00Z", nil),
        ("", nil),
        ("garbage", nil),
    ]

    @Test("parses RFC 5322 and obsolete dates; invalid ones are nil", arguments: cases)
    func parses(_ testCase: (String, String?)) {
        #expect(MailDate.parse(Array(testCase.0.utf8)).map { MailDate.iso8601($0) } == testCase.1)
    }

    /// Forms real mailers write that RFC 5322 does not allow; nil where still invalid.
    static let lenientCases: [(String, String?)] = [
        ("Thursday, 14 November 2002 10:00:00 +0100", "2002-11-14T09:00:00Z"),
        ("Wednesday, 4 September 2002 10:00:00 GMT", "2002-09-04T10:00:00Z"),
        ("Do, 14 Nov 2002 10:00:00 +0100", "2002-11-14T09:00:00Z"),
        ("Do, 14 Mär 2002 10:00:00 +0100", "2002-03-14T09:00:00Z"),
        ("Mi, 4 Dez 2002 10:00:00 MEZ", "2002-12-04T09:00:00Z"),
        ("Fr, 1 Okt 2004 10:00:00 CEST", "2004-10-01T08:00:00Z"),
        ("jeu., 14 nov. 2002 10:00:00 +0100", "2002-11-14T09:00:00Z"),
        ("mer., 4 déc. 2002 10:00:00 +0100", "2002-12-04T09:00:00Z"),
        ("lun., 5 août 2002 10:00:00 +0200", "2002-08-05T08:00:00Z"),
        ("jue, 14 dic 2002 10:00:00 -0300", "2002-12-14T13:00:00Z"),
        ("mar, 14 ene 2003 10:00:00 +0000", "2003-01-14T10:00:00Z"),
        ("14-Nov-2002 10:00:00 +0000", "2002-11-14T10:00:00Z"),
        ("14-Nov-02 10:00 GMT", "2002-11-14T10:00:00Z"),
        ("Thu Nov 14 10:00:00 2002", "2002-11-14T10:00:00Z"),
        ("Thu Nov  4 10:00:00 2002 +0100", "2002-11-04T09:00:00Z"),
        ("Thu Nov 14 10:00:00 CET 2002", "2002-11-14T09:00:00Z"),
        ("Mar 14 10:00:00 2002", "2002-03-14T10:00:00Z"),
        ("November 14, 2002 10:00 PM", "2002-11-14T22:00:00Z"),
        ("Thu Nov 31 10:00:00 2002", nil),
        ("Thu Nov 14 2002", nil),
        ("14 Nov 2002 13:00 PM", nil),
        ("Do, 14 Foo 2002 10:00:00 +0100", nil),
    ]

    @Test("parses day and month names in other languages, D-Mon-Y and asctime", arguments: lenientCases)
    func lenient(_ testCase: (String, String?)) {
        #expect(MailDate.parse(Array(testCase.0.utf8)).map { MailDate.iso8601($0) } == testCase.1)
    }

    @Test("parses a Latin-1 month name")
    func latin1Month() {
        let raw = Array("14 M".utf8) + [0xE4] + Array("r 2002 10:00:00 +0100".utf8)
        #expect(MailDate.parse(raw).map { MailDate.iso8601($0) } == "2002-03-14T09:00:00Z")
    }

    @Test(
        "ISO 8601 formatting around the epoch",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00Z"), (Int64(-1), "1969-12-31T23:59:59Z"),
            (Int64(951_782_400), "2000-02-29T00:00:00Z"),
        ])
    func formats(_ testCase: (Int64, String)) {
        #expect(MailDate.iso8601(testCase.0) == testCase.1)
    }
}
