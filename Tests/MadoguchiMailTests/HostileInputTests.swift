// Hostile inputs from madoguchi-security(7) (A10, A12–A17, A29), generated in the test: the
// parser never crashes, hangs or recurses unboundedly, keeps the raw bytes and
// gives a malformed verdict with a reason when a limit is hit.

import MadoguchiTestSupport
import Testing

@testable import MadoguchiMail

@Suite struct HostileInputTests {
    private func isMalformed(_ message: ParsedMessage, mentioning word: String) -> Bool {
        if case .malformed(let reason) = message.verdict { return reason.contains(word) }
        return false
    }

    @Test("A10 charset tricks decode to text with replacement characters")
    func charsetTricks() {
        let raw =
            Array("Subject: =?utf-7?Q?+ADw-script+AD4-?=\nContent-Type: text/plain; charset=utf-8\n\n".utf8)
            + [0xC0, 0xBC, 0x73, 0xE0, 0x80, 0xBC, 0xFF] + Array("\n".utf8)
        let message = MailFixture.parse(raw)
        #expect(message.verdict == .ok)
        #expect(message.subject == "<script>")
        #expect(message.textBody == "\u{FFFD}\u{FFFD}s\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\n")
        let unknown = MailFixture.parse(
            Array("Content-Type: text/plain; charset=x-klingon\n\n".utf8) + MailFixture.hex("95 5c 22"))
        #expect(unknown.textBody == "表\"")
    }

    @Test(
        "A12 1,000-level multipart nesting hits the depth limit without overflowing the stack",
        .timeLimit(.minutes(1)), .blocksThreads)
    func deepMultipart() {
        var raw = [UInt8]()
        for level in 0..<1000 {
            raw += Array("Content-Type: multipart/mixed; boundary=\"b\(level)\"\n\n--b\(level)\n".utf8)
        }
        raw += Array("Content-Type: text/plain\n\ndeep\n".utf8)
        let message = MailFixture.parse(raw)
        #expect(isMalformed(message, mentioning: "nesting deeper than 32"))
        #expect(message.raw.count == raw.count)
    }

    @Test(
        "A29 a line without a field name cannot hide the fields after it",
        arguments: [
            "Subject: invoice\n>From attacker\nFrom: Boss <boss@example.jp>\n\nbody",
            "Subject: invoice\n\u{1}\nFrom: Boss <boss@example.jp>\n\nbody",
            "Subject: invoice\nX-Bad\u{80}: a\nFrom: Boss <boss@example.jp>\n\nbody",
        ])
    func hiddenFields(_ raw: String) {
        let message = MailFixture.parse(Array(raw.utf8))
        #expect(message.from.first?.address == "boss@example.jp")
        #expect(message.textBody == "body")
        #expect(isMalformed(message, mentioning: "without a field name"))
    }

    @Test("A29 fields read as body after a missing blank line are never ok")
    func fieldsReadAsBody() {
        let message = MailFixture.parse(Array("Subject: invoice\nDear customer\nFrom: boss@example.jp\n".utf8))
        #expect(message.from.isEmpty)
        #expect(message.textBody == "Dear customer\nFrom: boss@example.jp\n")
        #expect(isMalformed(message, mentioning: "1 header field line(s) after it read as body"))
    }

    @Test("A12 100 nested message/rfc822 stay one opaque attachment", .timeLimit(.minutes(1)), .blocksThreads)
    func nestedRFC822() {
        var raw = Array("Subject: leaf\n\nhi\n".utf8)
        for level in 0..<100 {
            raw = Array("Subject: level \(level)\nContent-Type: message/rfc822\n\n".utf8) + raw
        }
        let message = MailFixture.parse(raw)
        #expect(message.verdict == .ok)
        #expect(message.subject == "level 99")
        #expect(message.attachments.count == 1)
        #expect(message.attachments.first?.contentType == "message/rfc822")
    }

    @Test("A13 100,000 tiny MIME parts hit the part limit", .timeLimit(.minutes(1)), .blocksThreads)
    func manyParts() {
        var raw = Array("Content-Type: multipart/mixed; boundary=p\n\n".utf8)
        raw.reserveCapacity(100_000 * 8)
        let part = Array("--p\n\nx\n".utf8)
        for _ in 0..<100_000 { raw += part }
        raw += Array("--p--\n".utf8)
        let message = MailFixture.parse(raw)
        #expect(isMalformed(message, mentioning: "more than 1000 MIME parts"))
        #expect(message.textBody != nil)
    }

    @Test("A13 10,000 header lines hit the field limit")
    func manyHeaderLines() {
        var raw = [UInt8]()
        for index in 0..<10_000 { raw += Array("X-H\(index): v\n".utf8) }
        raw += Array("Subject: late\n\nbody".utf8)
        let message = MailFixture.parse(raw)
        #expect(isMalformed(message, mentioning: "more than 1000 header fields"))
        #expect(message.headers.count == 1000)
        #expect(message.textBody == "body")
    }

    @Test("A13 a 1 MB header line hits the header size limit")
    func hugeHeaderLine() {
        let raw =
            Array("Subject: ok\nX-Big: ".utf8) + [UInt8](repeating: 0x61, count: 1 << 20)
            + Array("\n\nbody".utf8)
        let message = MailFixture.parse(raw)
        #expect(isMalformed(message, mentioning: "header block larger than"))
        #expect(message.subject == "ok")
        #expect(message.textBody == "body")
    }

    struct BoundaryCase: Sendable, CustomTestStringConvertible {
        let name: String
        let raw: String
        let text: String?
        let attachments: Int
        var testDescription: String { name }
    }

    static let boundaryCases: [BoundaryCase] = [
        BoundaryCase(
            name: "missing closing boundary", raw: "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nonly\n",
            text: "only\n", attachments: 0),
        BoundaryCase(
            name: "boundary-like line inside base64 and text",
            raw: "Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--bx is not it\n--b \n"
                + "Content-Transfer-Encoding: base64\nContent-Type: application/zip\n\nUEsD\n--b-x\nUEsD\n--b--\n",
            text: "--bx is not it", attachments: 1),
        BoundaryCase(
            name: "nested part reusing the parent boundary",
            raw: "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/alternative; boundary=b\n\n"
                + "--b\nContent-Type: text/plain\n\ninner\n--b--\n",
            text: "inner", attachments: 0),
        BoundaryCase(
            name: "multipart without boundary is text",
            raw: "Content-Type: multipart/mixed\n\n--x\nhello\n", text: "--x\nhello\n", attachments: 0),
        BoundaryCase(
            name: "multipart whose boundary never occurs is text",
            raw: "Content-Type: multipart/mixed; boundary=zzz\n\nplain\n", text: "plain\n", attachments: 0),
        BoundaryCase(
            name: "duplicate Content-Type headers: first wins",
            raw: "Content-Type: text/plain\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n",
            text: "--b\n\nx\n--b--\n", attachments: 0),
        BoundaryCase(
            name: "empty boundary parameter is text", raw: "Content-Type: multipart/mixed; boundary=\"\"\n\nx",
            text: "x", attachments: 0),
    ]

    @Test("A14 boundary problems are handled deterministically", arguments: boundaryCases)
    func boundaries(_ testCase: BoundaryCase) {
        let message = MailFixture.parse(Array(testCase.raw.utf8))
        #expect(message.verdict == .ok)
        #expect(message.textBody == testCase.text)
        #expect(message.attachments.count == testCase.attachments)
    }

    struct EncodingCase: Sendable, CustomTestStringConvertible {
        let name: String
        let encoding: String
        let body: String
        let expected: [UInt8]
        var testDescription: String { name }
    }

    static let encodingCases: [EncodingCase] = [
        EncodingCase(
            name: "invalid base64 characters", encoding: "base64", body: "SG*Vs!bG8=", expected: Array("Hello".utf8)),
        EncodingCase(
            name: "missing base64 padding", encoding: "base64", body: "SGVsbG8", expected: Array("Hello".utf8)),
        EncodingCase(
            name: "concatenated base64 with padding inside", encoding: "base64", body: "SGk=SGk=",
            expected: Array("HiHi".utf8)),
        EncodingCase(
            name: "QP soft break at EOF", encoding: "quoted-printable", body: "abc=", expected: Array("abc".utf8)),
        EncodingCase(
            name: "QP stray = and bad hex", encoding: "quoted-printable", body: "a=zz=4", expected: Array("a=zz=4".utf8)
        ),
        EncodingCase(
            name: "unknown transfer encoding passes through", encoding: "x-unknown", body: "raw=41",
            expected: Array("raw=41".utf8)),
    ]

    @Test("A15 broken encodings decode leniently", arguments: encodingCases)
    func brokenEncodings(_ testCase: EncodingCase) {
        let raw = Array(
            ("Content-Type: application/octet-stream\nContent-Transfer-Encoding: \(testCase.encoding)\n\n"
                + testCase.body).utf8)
        let message = MailFixture.parse(raw)
        #expect(message.verdict == .ok)
        #expect(message.attachments.first?.data == testCase.expected)
    }

    @Test("A16 an oversize message is malformed, keeps headers and raw bytes, not truncated")
    func oversize() {
        let limits = MailLimits(
            maxMessageSize: 1 << 20, maxDepth: 32, maxParts: 1000, maxHeaderFields: 1000, maxHeaderSize: 1 << 16)
        let raw = Array("Subject: big\nFrom: a@b.jp\n\n".utf8) + [UInt8](repeating: 0x41, count: 3 << 20)
        let message = MailFixture.parse(raw, limits: limits)
        #expect(isMalformed(message, mentioning: "message larger than 1048576 bytes"))
        #expect(message.subject == "big")
        #expect(message.from.first?.address == "a@b.jp")
        #expect(message.raw.count == raw.count)
        #expect(message.textBody == nil)
    }

    static let hostileNames: [(String, String)] = [
        ("filename=\"../../etc/passwd\"", "../../etc/passwd"),
        ("filename=\"..\\\\..\\\\x\"", "..\\..\\x"),
        ("filename=/tmp/x", "/tmp/x"),
        ("filename=\"C:\\\\x\"", "C:\\x"),
        ("filename*=UTF-8''..%2F..%2Fx", "../../x"),
        ("filename*=UTF-8''a.pdf%00.exe", "a.pdf\u{0}.exe"),
        ("filename=\"=?UTF-8?B?44OG44K544OILmV4ZQ==?=\"", "テスト.exe"),
        ("filename=CON", "CON"),
        ("filename=-rf", "-rf"),
        ("filename=.", "."),
        ("filename=\"invoice\u{202E}fdp.exe\"", "invoice\u{202E}fdp.exe"),
    ]

    @Test("A17 hostile attachment names are returned as untrusted text, never interpreted")
    func hostileNamesTest() {
        for (parameter, expected) in HostileInputTests.hostileNames {
            let raw = Array(
                ("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/octet-stream\n"
                    + "Content-Disposition: attachment; \(parameter)\n\ndata\n--b--\n").utf8)
            let message = MailFixture.parse(raw)
            #expect(message.attachments.count == 1)
            #expect(message.attachments.first?.filename == expected, "\(parameter)")
        }
        let long = String(repeating: "あ", count: 1000)
        let raw = Array(
            ("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: image/png; name=\"\(long).png\"\n\nx\n--b--\n")
                .utf8)
        #expect(MailFixture.parse(raw).attachments.first?.filename == long + ".png")
    }

    @Test("A10 raw Shift_JIS file name ending in 0x5C keeps its closing quote")
    func shiftJISBackslash() {
        let raw =
            Array("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/pdf\n".utf8)
            + Array("Content-Disposition: attachment; filename=\"".utf8) + MailFixture.hex("95 5c")
            + Array("\"; size=3\n\nabc\n--b--\n".utf8)
        let message = MailFixture.parse(raw)
        #expect(message.attachments.first?.filename == "表")
        #expect(message.attachments.first?.data == Array("abc".utf8))
    }

    @Test("random and truncated inputs never crash", .timeLimit(.minutes(1)), .blocksThreads)
    func truncations() throws {
        let sample = MessageParserTests.cases.map(\.raw)
        for raw in sample {
            for cut in stride(from: 0, to: raw.count, by: max(1, raw.count / 40)) {
                let message = MailFixture.parse(Array(raw[0..<cut]))
                #expect(message.raw.count == cut)
            }
        }
    }

    static let pathological: [(String, [UInt8])] = [
        (
            "unterminated encoded words",
            Array("Subject: ".utf8) + Array(String(repeating: "=?x?B?aaaa", count: 20_000).utf8)
                + Array("\n\nx".utf8)
        ),
        (
            "colons after an at sign",
            Array("To: a@b".utf8) + [UInt8](repeating: 0x3A, count: 200_000) + Array("\n\nx".utf8)
        ),
        (
            "dashes against a long boundary",
            Array("Content-Type: multipart/mixed; boundary=\"\(String(repeating: "-", count: 150))\"\n\n".utf8)
                + [UInt8](repeating: 0x2D, count: 1 << 20)
        ),
        (
            "ISO-2022-JP with an invalid byte after every character",
            Array("Content-Type: text/plain; charset=iso-2022-jp\n\n".utf8)
                + Array(repeating: [0x61, 0x80] as [UInt8], count: 300_000).flatMap { $0 }
        ),
        (
            "mbox From lines between 50,000 header fields",
            Array(String(repeating: "From a@b Thu Nov 14 10:00:00 2002\nX: b\n", count: 50_000).utf8)
                + Array("\nx".utf8)
        ),
        (
            "lines without a field name, each followed by a field",
            Array(String(repeating: "no field name\nX: b\n", count: 50_000).utf8) + Array("\nx".utf8)
        ),
        (
            "many unknown charsets in encoded words",
            Array("Subject: ".utf8) + Array(String(repeating: "=?zz?Q?a?= ", count: 2_000).utf8)
                + Array("\n\nx".utf8)
        ),
    ]

    @Test("pathological inputs are parsed in linear time", .timeLimit(.minutes(1)), .blocksThreads)
    func linearTime() {
        for (name, raw) in HostileInputTests.pathological {
            // CPU time of this thread, so other load on the machine does not count.
            let elapsed = ThreadCPUTime.measure { _ = MailFixture.parse(raw) }
            // Generous for debug builds; a quadratic path takes minutes here.
            #expect(elapsed < .seconds(5), "\(name): \(elapsed)")
        }
    }
}
