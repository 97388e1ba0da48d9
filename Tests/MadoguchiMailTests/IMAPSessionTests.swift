// IMAPSession against in-process hostile servers: literal sizes (B1), protocol
// text inside literals (B2), endless lines and never-ending FETCH (B3), untagged
// EXPUNGE/EXISTS/FETCH and UIDVALIDITY changes (B4), PREAUTH/STARTTLS (B6), ALERT
// texts with HTML and the password (B8), a flood of {0}-terminated lines (B9), foreign
// \Deleted messages without UIDPLUS (B10) and ENABLE UTF8=ACCEPT (RFC 6855).

import Glibc
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@testable import MadoguchiMail

@Suite struct IMAPSessionTests {
    static let password = FetchAccount.fakePassword

    static func open(
        _ server: FakeServer, tls: TLSMode = .none, limits: FetchLimits = .testing(),
        authentication: IMAPSession.Authentication = .automatic
    ) throws -> IMAPSession {
        try IMAPSession.open(
            .fake(.imap, port: server.port, tls: tls), limits: limits, log: Log(program: "imap-test"),
            authentication: authentication)
    }

    static func serve(_ script: FakeIMAP, connections: Int = 1) throws -> FakeServer {
        try FakeServer(connections: connections) { peer, _ in try script.run(peer) }
    }

    @Test("lists, fetches, deletes with UID EXPUNGE and logs out", .timeLimit(.minutes(1)))
    func happyPath() throws {
        let server = try Self.serve(FakeIMAP())
        let session = try Self.open(server)
        #expect(session.validity == "1")
        let listed = try session.list()
        #expect(listed == [RemoteMessage(uid: "4", size: 5), RemoteMessage(uid: "7", size: 12)])
        #expect(try session.fetchBytes(listed[0]) == Array("hello".utf8))
        try session.delete(listed)
        try session.close()
        server.waitUntilDone()
        #expect(server.received.contains("UID STORE 4,7 +FLAGS.SILENT (\\Deleted)\r\n"))
        #expect(server.received.contains("UID EXPUNGE 4,7\r\n"))
        #expect(server.received.contains("AUTHENTICATE PLAIN"))
    }

    @Test("without UIDPLUS a plain EXPUNGE follows the STORE; LOGIN quotes", .timeLimit(.minutes(1)))
    func plainExpunge() throws {
        let server = try Self.serve(FakeIMAP(capability: "IMAP4rev1"))
        let session = try Self.open(server, authentication: .login)
        try session.delete([RemoteMessage(uid: "4", size: 5)])
        try session.close()
        server.waitUntilDone()
        #expect(server.received.contains("A0002 LOGIN \"user\" \"\(Self.password)\"\r\n"))
        #expect(server.received.contains(" EXPUNGE\r\n"))
        #expect(!server.received.contains("UID EXPUNGE"))
    }

    @Test(
        "B10: without UIDPLUS a foreign \\Deleted message stops the EXPUNGE; ours stay flagged", .timeLimit(.minutes(1))
    )
    func foreignDeleted() throws {
        let script = FakeIMAP(capability: "IMAP4rev1 AUTH=PLAIN", search: { _ in "* SEARCH 9\r\n" })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        let ours = [
            RemoteMessage(uid: "4", size: 5), RemoteMessage(uid: "5", size: 5), RemoteMessage(uid: "7", size: 12),
        ]
        #expect(try session.delete(ours) == ours)
        try session.close()
        server.waitUntilDone()
        #expect(server.received.contains("UID STORE 4:5,7 +FLAGS.SILENT (\\Deleted)\r\n"))
        #expect(server.received.contains("UID SEARCH DELETED NOT UID 4:5,7\r\n"))
        #expect(!server.received.contains("EXPUNGE"))
    }

    @Test("B10: without UIDPLUS the EXPUNGE is sent when only ours are flagged", .timeLimit(.minutes(1)))
    func onlyOursDeleted() throws {
        // A server that ignores NOT UID and lists ours too is still fine.
        let script = FakeIMAP(capability: "IMAP4rev1 AUTH=PLAIN", search: { _ in "* SEARCH 4 7\r\n" })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        #expect(try session.delete([RemoteMessage(uid: "4", size: 5), RemoteMessage(uid: "7", size: 12)]).isEmpty)
        try session.close()
        server.waitUntilDone()
        #expect(server.received.contains(" UID SEARCH DELETED NOT UID 4,7\r\n"))
        #expect(server.received.contains(" EXPUNGE\r\n") && !server.received.contains("UID EXPUNGE"))
    }

    @Test("B9: a FETCH answer that goes on in {0}-terminated lines is cut off", .timeLimit(.minutes(1)))
    func zeroLiteralFlood() throws {
        let script = FakeIMAP(body: { uid, peer in
            try peer.send("* 1 FETCH (UID \(uid) X {0}\r\n")
            let line = " X" + String(repeating: "y", count: 1000) + " {0}\r\n"
            for _ in 0..<2000 { try peer.send(line) }
            try peer.send(")\r\n")
        })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        let error = #expect(throws: FetchError.self) { _ = try session.fetchBytes(RemoteMessage(uid: "4", size: 5)) }
        #expect(error?.description.contains("response larger than") == true, "\(String(describing: error))")
        try session.close()
    }

    @Test("a FETCH answer without the message body is an error, not a vanished message", .timeLimit(.minutes(1)))
    func bodyMissing() throws {
        let script = FakeIMAP(
            body: { uid, peer in try peer.send("* 1 FETCH (UID \(uid) RFC822.SIZE 5)\r\n") },
            search: { criteria in criteria == "UID 4" ? "* SEARCH 4\r\n" : "* SEARCH\r\n" })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        let error = #expect(throws: FetchError.self) { _ = try session.fetchBytes(RemoteMessage(uid: "4", size: 5)) }
        #expect(error?.description.contains("without the message body") == true, "\(String(describing: error))")
        try session.close()
    }

    @Test("ENABLE UTF8=ACCEPT when offered (RFC 6855): no Courier-style wrapper", .timeLimit(.minutes(1)))
    func enableUTF8() throws {
        let raw = "Subject: 日本語\r\n\r\nbody\r\n"
        let script = FakeIMAP(
            capability: "IMAP4rev1 AUTH=PLAIN UIDPLUS ENABLE UTF8=ACCEPT",
            body: { uid, peer in try peer.send(FakeIMAP.bodyResponse(uid: uid, raw)) },
            bodyWithoutUTF8: { uid, peer in
                try peer.send(FakeIMAP.bodyResponse(uid: uid, "Subject: Cannot display Unicode content\r\n\r\n" + raw))
            })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        #expect(try session.fetchBytes(RemoteMessage(uid: "4", size: raw.utf8.count)) == Array(raw.utf8))
        try session.close()
        server.waitUntilDone()
        let sent = server.received
        let enable = try #require(sent.range(of: "ENABLE UTF8=ACCEPT\r\n"))
        let select = try #require(sent.range(of: "SELECT INBOX"))
        #expect(enable.lowerBound < select.lowerBound)
    }

    @Test("fetchAll asks for a batch in one UID FETCH; a UID after the body is fine", .timeLimit(.minutes(1)))
    func fetchAllBatch() throws {
        let script = FakeIMAP(
            listReply: "* 1 FETCH (UID 4 RFC822.SIZE 5)\r\n* 2 FETCH (UID 7 RFC822.SIZE 12)\r\n"
                + "* 3 FETCH (UID 9 RFC822.SIZE 3)\r\n* 4 FETCH (UID 11 RFC822.SIZE 3)\r\n",
            body: { _, peer in
                try peer.send("* 2 FETCH (RFC822.SIZE 12 BODY[] {12}\r\nhello world! UID 7)\r\n")
                try peer.send("* 1 FETCH (UID 4 BODY[] {5}\r\nhello)\r\n* 1 FETCH (FLAGS (\\Seen))\r\n")
                try peer.send("* 3 FETCH (UID 9 BODY[] {4}\r\nlong)\r\n")
            })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        let listed = try session.list()
        var got: [String: Result<[UInt8], FetchError>] = [:]
        try session.fetchAll(listed) { message, outcome in got[message.uid] = outcome }
        try session.close()
        server.waitUntilDone()
        #expect(server.received.contains("UID FETCH 4,7,9,11 (UID RFC822.SIZE BODY.PEEK[])\r\n"))
        #expect(got["4"] == .success(Array("hello".utf8)) && got["7"] == .success(Array("hello world!".utf8)))
        #expect(got["9"] == .failure(.sizeMismatch(uid: "9", listed: 3, received: 4)))
        #expect(got["11"] == .failure(.messageVanished(uid: "11")))
        #expect(server.received.contains("UID SEARCH UID 11\r\n"))
    }

    @Test(
        "fetchAll: a body not asked for, or one missing while the message is there, is refused", .timeLimit(.minutes(1))
    )
    func fetchAllHostile() throws {
        let stranger = try Self.serve(
            FakeIMAP(body: { _, peer in try peer.send("* 9 FETCH (UID 99 BODY[] {5}\r\nhello)\r\n") }))
        let one = try Self.open(stranger)
        let error = #expect(throws: FetchError.self) { try one.fetchAll(try one.list()) { _, _ in } }
        #expect(error?.description.contains("not asked for") == true)
        try one.close()

        let silent = try Self.serve(
            FakeIMAP(body: { _, _ in }, search: { _ in "* SEARCH 7\r\n" }))
        let two = try Self.open(silent)
        var delivered = 0
        let missing = #expect(throws: FetchError.self) { try two.fetchAll(try two.list()) { _, _ in delivered += 1 } }
        #expect(missing?.description.contains("UID FETCH 7 without the message body") == true)
        #expect(delivered == 0)
        try two.close()
    }

    @Test(
        "B1: hostile literal sizes are refused", .timeLimit(.minutes(1)),
        arguments: ["{4294967296}", "{-1}", "{}", "{99999999999}", "{10+}", "{2000000}", "{5"])
    func hostileLiteral(literal: String) throws {
        let script = FakeIMAP(body: { uid, peer in
            try peer.send(FakeIMAP.bodyResponse(uid: uid, "hello", literal: literal))
        })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        #expect(throws: FetchError.self) {
            _ = try session.fetchBytes(RemoteMessage(uid: "4", size: 5))
        }
        #expect(throws: FetchError.self) { try session.delete([RemoteMessage(uid: "4", size: 5)]) }
        try session.close()
    }

    @Test("B2: protocol text inside a literal is content", .timeLimit(.minutes(1)))
    func literalContent() throws {
        let content = "A0006 OK FETCH completed\r\n* BYE now\r\n+OK\r\nX-Spam-Flag: NO\r\n)\r\n"
        let script = FakeIMAP(body: { uid, peer in try peer.send(FakeIMAP.bodyResponse(uid: uid, content)) })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        let message = RemoteMessage(uid: "4", size: content.utf8.count)
        #expect(try session.fetchBytes(message) == Array(content.utf8))
        #expect(try session.fetchBytes(message) == Array(content.utf8))
        try session.close()
    }

    @Test("B4: untagged EXPUNGE, EXISTS and flag FETCHes around a body", .timeLimit(.minutes(1)))
    func interleaved() throws {
        let script = FakeIMAP(body: { uid, peer in
            try peer.send("* 2 EXPUNGE\r\n* 1 FETCH (FLAGS (\\Seen))\r\n* 9 EXISTS\r\n")
            try peer.send("* 1 FETCH (FLAGS (\\Seen) UID \(uid) BODY[] {5}\r\nhello FLAGS (\\Seen))\r\n")
            try peer.send("* 3 RECENT\r\n* OK [UIDNEXT 10] hint\r\n* 1 FETCH (FLAGS ())\r\n")
        })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        #expect(try session.fetchBytes(RemoteMessage(uid: "4", size: 5)) == Array("hello".utf8))
        #expect(session.exists == 9)
        try session.close()
    }

    @Test("B4: a body for another UID or a second body is refused", .timeLimit(.minutes(1)))
    func wrongBody() throws {
        let script = FakeIMAP(body: { _, peer in try peer.send(FakeIMAP.bodyResponse(uid: "99", "hello")) })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        let error = #expect(throws: FetchError.self) { _ = try session.fetchBytes(RemoteMessage(uid: "4", size: 5)) }
        #expect(error?.description.contains("UID 99") == true)
        try session.close()
    }

    @Test("B4: an expunged message vanishes instead of failing the run", .timeLimit(.minutes(1)))
    func vanished() throws {
        let script = FakeIMAP(body: { _, peer in try peer.send("* 1 EXPUNGE\r\n") })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        #expect(throws: FetchError.messageVanished(uid: "4")) {
            _ = try session.fetchBytes(RemoteMessage(uid: "4", size: 5))
        }
        try session.close()
    }

    @Test("B4: UIDVALIDITY is exposed per session and a change mid-session stops it", .timeLimit(.minutes(1)))
    func validity() throws {
        let first = try Self.serve(FakeIMAP(uidValidity: "1"))
        let second = try Self.serve(
            FakeIMAP(
                uidValidity: "2",
                body: { uid, peer in
                    try peer.send("* OK [UIDVALIDITY 3] changed\r\n" + FakeIMAP.bodyResponse(uid: uid, "hello"))
                }))
        let one = try Self.open(first)
        #expect(one.validity == "1")
        try one.close()
        let two = try Self.open(second)
        #expect(two.validity == "2")
        #expect(throws: FetchError.validityChanged(old: "2", new: "3")) {
            _ = try two.fetchBytes(RemoteMessage(uid: "4", size: 5))
        }
        try two.close()
    }

    @Test("B8: NO [ALERT] with HTML and control characters is escaped, password hidden", .timeLimit(.minutes(1)))
    func alert() throws {
        let server = try Self.serve(
            FakeIMAP(loginReply: "NO [ALERT] <script>alert(1)</script>\rInjected: \(Self.password)"))
        let error = #expect(throws: FetchError.self) { _ = try Self.open(server) }
        guard case .authenticationFailed(_, let text)? = error else {
            Issue.record("expected authenticationFailed, got \(String(describing: error))")
            return
        }
        // The response code stays in front (RFC 5530 codes decide "try later" from it).
        #expect(text == "[ALERT] <script>alert(1)</script>\\rInjected: [hidden]")
        #expect(!(error?.description.contains(Self.password) ?? true))
    }

    @Test("B6: PREAUTH on a STARTTLS connection is refused before anything is sent", .timeLimit(.minutes(1)))
    func preauth() throws {
        let server = try Self.serve(FakeIMAP(greeting: "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome\r\n"))
        #expect(throws: FetchError.preauthRefused(account: "fake")) { _ = try Self.open(server, tls: .starttls) }
        server.waitUntilDone()
        #expect(server.received.isEmpty)
    }

    @Test("B6: STARTTLS not offered aborts before LOGIN", .timeLimit(.minutes(1)))
    func startTLSMissing() throws {
        let server = try Self.serve(FakeIMAP())
        #expect(throws: FetchError.startTLSNotOffered(account: "fake")) { _ = try Self.open(server, tls: .starttls) }
        server.waitUntilDone()
        #expect(!server.received.contains("LOGIN"))
        #expect(!server.received.contains("AUTHENTICATE"))
    }

    @Test("LOGINDISABLED without AUTH=PLAIN is unsupported", .timeLimit(.minutes(1)))
    func loginDisabled() throws {
        let server = try Self.serve(FakeIMAP(capability: "IMAP4rev1 LOGINDISABLED"))
        #expect(throws: FetchError.unsupported("LOGIN (LOGINDISABLED) and no AUTH=PLAIN")) {
            _ = try Self.open(server)
        }
    }

    @Test("B3: an endless response line is refused", .timeLimit(.minutes(1)))
    func endlessLine() throws {
        let script = FakeIMAP(body: { _, peer in try peer.send("* 1 FETCH (" + String(repeating: "X", count: 20000)) })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        let error = #expect(throws: FetchError.self) { _ = try session.fetchBytes(RemoteMessage(uid: "4", size: 5)) }
        #expect(error?.description.contains("line longer") == true)
        try session.close()
    }

    @Test("B3: a never-ending FETCH hits the session deadline", .timeLimit(.minutes(1)))
    func neverEnding() throws {
        let script = FakeIMAP(body: { uid, peer in
            try peer.send("* 1 FETCH (UID \(uid) BODY[] {900000}\r\n")
            for _ in 0..<1000 {
                try peer.send(String(repeating: "y", count: 100))
                usleep(100_000)
            }
        })
        let server = try Self.serve(script)
        let session = try Self.open(server, limits: FetchLimits.testing(session: 2, read: 1))
        let started = Monotonic.now()
        #expect(throws: NetworkError.timedOut("session deadline reached")) {
            _ = try session.fetchBytes(RemoteMessage(uid: "4", size: 900_000))
        }
        #expect(Monotonic.now() - started < 2.8)
        try session.close()
    }

    @Test("B4: a flood of untagged responses is consumed in bounded memory", .timeLimit(.minutes(1)))
    func flood() throws {
        let script = FakeIMAP(body: { uid, peer in
            let flags = String(repeating: "* 1 FETCH (FLAGS (\\Seen))\r\n* 2 EXISTS\r\n", count: 500)
            for _ in 0..<40 { try peer.send(flags) }
            try peer.send(FakeIMAP.bodyResponse(uid: uid, "hello"))
        })
        let server = try Self.serve(script)
        let session = try Self.open(server)
        #expect(try session.fetchBytes(RemoteMessage(uid: "4", size: 5)) == Array("hello".utf8))
        #expect(session.exists == 2)
        try session.close()
    }

    @Test(
        "astrings are quoted when printable, literals otherwise",
        arguments: [
            ("user", "\"user\""), ("a\"b", "\"a\\\"b\""), ("back\\slash", "\"back\\\\slash\""),
            ("日本", "{6}"), ("", "{0}"), ("tab\there", "{8}"),
        ])
    func astring(value: String, wire: String) {
        switch IMAPSession.astring(value) {
        case .text(let text): #expect(text == wire)
        case .literal(let bytes): #expect("{\(bytes.count)}" == wire && bytes == Array(value.utf8))
        }
    }
}
