// ClamdReply: only the exact reply "stream: OK" is clean; FOUND names the
// signature; everything else (size limit, ERROR, garbage) throws a transient error.

import MadoguchiCore
import MadoguchiMail
import Testing

@Suite struct ClamdReplyTests {
    @Test(
        "verdict replies",
        arguments: [
            ("stream: OK", ScanVerdict.clean),
            ("stream: Eicar-Test-Signature FOUND", .infected(signature: "Eicar-Test-Signature")),
            ("stream: Win.Test.EICAR_HDB-1 FOUND", .infected(signature: "Win.Test.EICAR_HDB-1")),
            (
                "stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND",
                .infected(signature: "Heuristics.Limits.Exceeded.MaxFileSize")
            ),
            ("stream: OK FOUND", .infected(signature: "OK")),
        ])
    func verdicts(reply: String, expected: ScanVerdict) throws {
        #expect(try ClamdReply.verdict(Array(reply.utf8)) == expected)
    }

    @Test(
        "anything but OK or FOUND is a transient error, never clean",
        arguments: [
            (
                "INSTREAM size limit exceeded. ERROR",
                ScanError.sizeLimitExceeded(reply: "INSTREAM size limit exceeded. ERROR")
            ),
            ("stream: Can't allocate memory ERROR", .scannerError(reply: "stream: Can't allocate memory ERROR")),
            ("ERROR", .scannerError(reply: "ERROR")),
            ("UNKNOWN COMMAND", .badReply("UNKNOWN COMMAND")),
            ("stream: ok", .badReply("stream: ok")),
            ("stream: OK ", .badReply("stream: OK ")),
            ("stream:OK", .badReply("stream:OK")),
            (" stream: OK", .badReply(" stream: OK")),
            ("OK", .badReply("OK")),
            ("1: stream: OK", .badReply("1: stream: OK")),
            ("stream: FOUND", .badReply("stream: FOUND")),
            ("stream:  FOUND", .badReply("stream:  FOUND")),
            ("stream:  x FOUND", .badReply("stream:  x FOUND")),
            ("PONG", .badReply("PONG")),
            ("", .badReply("empty reply")),
        ])
    func errors(reply: String, expected: ScanError) {
        #expect(throws: expected) { try ClamdReply.verdict(Array(reply.utf8)) }
        #expect(expected.isTransient)
        #expect(exitCode(for: expected) == .tempFail)
    }

    @Test("control characters, a newline after OK or non-ASCII bytes are garbage")
    func nonPrintable() {
        for reply: [UInt8] in [
            Array("stream: OK\n".utf8), Array("stream: OK\r".utf8), [0xFF, 0xFE], Array("stream: ウイルス FOUND".utf8),
        ] {
            #expect(throws: ScanError.self) { try ClamdReply.verdict(reply) }
        }
    }

    @Test("a reply longer than the limit is rejected")
    func tooLong() {
        let reply = Array(("stream: " + String(repeating: "A", count: ClamdReply.maxLength) + " FOUND").utf8)
        #expect(throws: ScanError.badReply("reply longer than \(ClamdReply.maxLength) bytes")) {
            try ClamdReply.verdict(reply)
        }
    }

    @Test("PING and VERSION replies")
    func pingVersion() throws {
        try ClamdReply.pong(Array("PONG".utf8))
        #expect(throws: ScanError.badReply("PANG")) { try ClamdReply.pong(Array("PANG".utf8)) }
        let version = "ClamAV 1.4.6/27470/Thu Nov 28 09:30:00 2026"
        #expect(try ClamdReply.version(Array(version.utf8)) == version)
        #expect(throws: ScanError.self) { try ClamdReply.version(Array("stream: OK".utf8)) }
    }

    @Test("an unusable clamd_address is a configuration error, not a retry")
    func badAddressIsPermanent() {
        let error = ScanError.network(.badAddress("no-port"))
        #expect(!error.isTransient)
        #expect(exitCode(for: error) == .config)
    }
}
