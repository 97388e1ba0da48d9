// ClamdClient against an in-process fake clamd: the wire format of zINSTREAM and
// fail-closed handling of hostile or broken peers (ERROR, garbage, silence, slow
// or dripping replies, early hang-up, refused connection, oversize message).

import Foundation
import MadoguchiCore
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.timeLimit(.minutes(1)), .blocksThreads) struct ClamdClientTests {
    /// A message of `count` bytes of mail-like text.
    static func message(_ count: Int) -> [UInt8] {
        let line = Array("Lorem ipsum dolor sit amet, お問い合わせ本文です。\r\n".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count + line.count)
        while out.count < count { out += line }
        return Array(out[..<count])
    }

    @Test("zINSTREAM sends the message as chunks of at most 64 KiB and a terminator; OK is clean")
    func wireFormat() throws {
        let directory = try TemporaryDirectory()
        let sent = Self.message(200_000)
        let fake = try ClamdFakeServer(in: directory) { peer in
            guard try peer.readCommand() == "zINSTREAM" else { return try peer.send("UNKNOWN COMMAND\0") }
            let stream = try peer.readStream()
            guard stream.complete, stream.payload == sent, stream.largestChunk <= ClamdClient.chunkSize else {
                return try peer.send("stream: wrong bytes ERROR\0")
            }
            try peer.send("stream: OK\0")
        }
        let client = ClamdClient(address: fake.address, timeout: 10, maxStreamSize: 25 * 1024 * 1024)
        #expect(try client.scan(sent) == .clean)
        #expect(fake.waitUntilDone())
        #expect(fake.receivedStreamBytes == sent.count)
        #expect(fake.scriptErrors.isEmpty)
    }

    @Test("an empty message is still sent and needs an explicit OK")
    func emptyMessage() throws {
        let directory = try TemporaryDirectory()
        let fake = try ClamdFakeServer(in: directory, script: ClamdFakeServer.replying(Array("stream: OK\0".utf8)))
        #expect(try ClamdClient(address: fake.address, timeout: 10, maxStreamSize: 10).scan([]) == .clean)
        #expect(fake.waitUntilDone())
    }

    @Test("FOUND names the signature")
    func found() throws {
        let directory = try TemporaryDirectory()
        let fake = try ClamdFakeServer(
            in: directory, script: ClamdFakeServer.replying(Array("stream: Win.Test.EICAR_HDB-1 FOUND\0".utf8)))
        let verdict = try ClamdClient(address: fake.address, timeout: 10, maxStreamSize: 1 << 20).scan(
            Self.message(5000))
        #expect(verdict == .infected(signature: "Win.Test.EICAR_HDB-1"))
    }

    @Test(
        "broken replies are transient errors, never clean",
        arguments: [
            (
                "stream: Can't allocate memory ERROR\0",
                ScanError.scannerError(reply: "stream: Can't allocate memory ERROR")
            ),
            ("INSTREAM size limit exceeded. ERROR\0", .sizeLimitExceeded(reply: "INSTREAM size limit exceeded. ERROR")),
            ("HTTP/1.1 400 Bad Request\r\n\r\n\0", .badReply("non-printable reply HTTP/1.1 400 Bad Request\r\n\r\n")),
            ("stream: OK", .badReply("reply not terminated by NUL: stream: OK")),
            ("", .badReply("connection closed without a reply")),
            ("\0", .badReply("empty reply")),
        ])
    func brokenReplies(reply: String, expected: ScanError) throws {
        let directory = try TemporaryDirectory()
        let fake = try ClamdFakeServer(in: directory, script: ClamdFakeServer.replying(Array(reply.utf8)))
        let client = ClamdClient(address: fake.address, timeout: 10, maxStreamSize: 1 << 20)
        let error = try #require(throws: ScanError.self) { try client.scan(Self.message(10_000)) }
        #expect(error == expected)
        #expect(exitCode(for: error) == .tempFail)
    }

    @Test("an endless reply without NUL is cut off")
    func endlessReply() throws {
        let directory = try TemporaryDirectory()
        let fake = try ClamdFakeServer(
            in: directory,
            script: ClamdFakeServer.afterCommand { peer in
                for _ in 0..<100 { try peer.send(String(repeating: "A", count: 1000)) }
            })
        let client = ClamdClient(address: fake.address, timeout: 10, maxStreamSize: 1 << 20)
        #expect(throws: ScanError.badReply("reply longer than \(ClamdReply.maxLength) bytes")) {
            try client.scan(Self.message(100))
        }
        fake.stop()
    }

    @Test("a reply slower than the timeout is a transient timeout")
    func slowReply() throws {
        let directory = try TemporaryDirectory()
        let fake = try ClamdFakeServer(
            in: directory,
            script: ClamdFakeServer.afterCommand { peer in
                Thread.sleep(forTimeInterval: 3)
                try peer.send("stream: OK\0")
            })
        let client = ClamdClient(address: fake.address, timeout: 1, maxStreamSize: 1 << 20)
        let started = Monotonic.now()
        let error = try #require(throws: ScanError.self) { try client.scan(Self.message(1000)) }
        #expect(Monotonic.now() - started < 2.5)
        guard case .network(.timedOut) = error else { Issue.record("expected a timeout, got \(error)"); return }
        #expect(exitCode(for: error) == .tempFail)
    }

    @Test("a reply dripped byte by byte cannot stretch the deadline")
    func drippedReply() throws {
        let directory = try TemporaryDirectory()
        let fake = try ClamdFakeServer(
            in: directory,
            script: ClamdFakeServer.afterCommand { peer in
                for byte in Array("stream: OK\0".utf8) {
                    try peer.send([byte])
                    Thread.sleep(forTimeInterval: 0.3)
                }
            })
        let client = ClamdClient(address: fake.address, timeout: 1, maxStreamSize: 1 << 20)
        let started = Monotonic.now()
        let error = try #require(throws: ScanError.self) { try client.scan(Self.message(1000)) }
        #expect(Monotonic.now() - started < 2)
        guard case .network(.timedOut) = error else { Issue.record("expected a timeout, got \(error)"); return }
    }

    @Test("a peer that never reads the stream times out the send")
    func silentPeer() throws {
        let directory = try TemporaryDirectory()
        let fake = try ClamdFakeServer(in: directory) { _ in Thread.sleep(forTimeInterval: 3) }
        let client = ClamdClient(address: fake.address, timeout: 1, maxStreamSize: 64 << 20)
        let error = try #require(throws: ScanError.self) { try client.scan(Self.message(16 << 20)) }
        guard case .network(.timedOut) = error else { Issue.record("expected a timeout, got \(error)"); return }
    }

    @Test(
        "a reply in the middle of the stream (clamd's size limit, or even OK) is a transient error",
        arguments: ["INSTREAM size limit exceeded. ERROR\0", "stream: OK\0"])
    func earlyReply(reply: String) throws {
        let directory = try TemporaryDirectory()
        let fake = try ClamdFakeServer(in: directory) { peer in
            _ = try peer.readCommand()
            try peer.readStream(limit: 100_000)
            try peer.send(reply)
        }
        let client = ClamdClient(address: fake.address, timeout: 10, maxStreamSize: 64 << 20)
        let error = try #require(throws: ScanError.self) { try client.scan(Self.message(8 << 20)) }
        #expect(exitCode(for: error) == .tempFail)
        if reply.hasPrefix("INSTREAM") {
            #expect(error == .sizeLimitExceeded(reply: "INSTREAM size limit exceeded. ERROR") || error.isNetwork)
        }
        #expect(fake.receivedStreamBytes < 8 << 20)
    }

    @Test("a message over maxStreamSize is refused before anything is sent")
    func oversize() throws {
        let directory = try TemporaryDirectory()
        let fake = try ClamdFakeServer(in: directory, script: ClamdFakeServer.replying(Array("stream: OK\0".utf8)))
        let client = ClamdClient(address: fake.address, timeout: 10, maxStreamSize: 4096)
        #expect(throws: ScanError.streamTooLarge(size: 4097, limit: 4096)) { try client.scan(Self.message(4097)) }
        fake.stop()
        #expect(fake.waitUntilDone())
        #expect(fake.acceptedConnections == 0)
        #expect(fake.receivedStreamBytes == 0)
        #expect(exitCode(for: ScanError.streamTooLarge(size: 4097, limit: 4096)) == .tempFail)
    }

    @Test("a refused or missing socket is transient (exit 75)", arguments: ["/nonexistent/clamd.sock", "127.0.0.1:1"])
    func refused(address: String) throws {
        let client = ClamdClient(address: address, timeout: 5, maxStreamSize: 1 << 20)
        let error = try #require(throws: ScanError.self) { try client.scan(Self.message(100)) }
        guard case .network(.connectFailed) = error else {
            Issue.record("expected connectFailed, got \(error)"); return
        }
        #expect(exitCode(for: error) == .tempFail)
        #expect(throws: ScanError.self) { try client.ping() }
    }

    @Test("PING expects PONG")
    func ping() throws {
        let directory = try TemporaryDirectory()
        let fake = try ClamdFakeServer(in: directory, connections: 2) { peer in
            let command = try peer.readCommand()
            try peer.send(command == "zPING" ? "PONG\0" : "UNKNOWN COMMAND\0")
        }
        let client = ClamdClient(address: fake.address, timeout: 5, maxStreamSize: 0)
        try client.ping()
        #expect(throws: ScanError.badReply("UNKNOWN COMMAND")) { try client.version() }
        #expect(fake.waitUntilDone())
    }

    @Test("configuration: clamd_max_stream_size 0 follows mail_max_message_size")
    func configuration() throws {
        let defaults = ClamdClient(.defaults)
        #expect(defaults.address == "/run/clamav/clamd.ctl")
        #expect(defaults.timeout == 60)
        #expect(defaults.maxStreamSize == 25 * 1024 * 1024)
        let config = try Configuration.parse(
            "clamd_address = 127.0.0.1:3310\nclamd_timeout = 2m\nclamd_max_stream_size = 26M\nmail_max_message_size = 40M\n",
            path: "t", baseDirectory: "/")
        let client = ClamdClient(config)
        #expect(client.address == "127.0.0.1:3310")
        #expect(client.timeout == 120)
        #expect(client.maxStreamSize == 26 * 1024 * 1024)
        let following = try Configuration.parse("mail_max_message_size = 40M\n", path: "t", baseDirectory: "/")
        #expect(ClamdClient(following).maxStreamSize == 40 * 1024 * 1024)
    }
}

extension ScanError {
    /// True for a socket-level failure.
    fileprivate var isNetwork: Bool {
        if case .network = self { return true }
        return false
    }
}
