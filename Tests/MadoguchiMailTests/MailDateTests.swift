// MailDate: RFC 5322 and obsolete date forms to Unix seconds, invalid ones to nil,
// and the ISO 8601 form inspect-mail prints.

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
