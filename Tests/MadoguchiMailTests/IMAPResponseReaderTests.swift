// The IMAP response parser and the line reader on fixed byte input (no sockets):
// atoms, quoted strings, literals split across reads, nested lists, status codes,
// and the B1 literal-size table.

import MadoguchiCore
import Testing

@testable import MadoguchiMail

/// Serves fixed bytes a few at a time, so every buffer boundary is exercised.
final class ChunkedBytes: ByteStream {
    private let bytes: [UInt8]
    private var offset = 0
    private let chunk: Int

    init(_ text: String, chunk: Int = 7) {
        bytes = Array(text.utf8)
        self.chunk = chunk
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(chunk, buffer.count, bytes.count - offset)
        buffer.copyBytes(from: bytes[offset..<(offset + count)])
        offset += count
        return count
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {}
}

@Suite struct IMAPResponseReaderTests {
    static func reader(_ text: String, maxBody: Int = 1000) -> IMAPResponseReader {
        IMAPResponseReader(reader: LineReader(stream: ChunkedBytes(text), maxLineLength: 1024), maxBodySize: maxBody)
    }

    @Test(
        "status, continuation and data responses parse",
        arguments: [
            (
                "A0001 OK [READ-WRITE] done\r\n",
                IMAPResponse.tagged(tag: "A0001", status: .ok, code: "READ-WRITE", text: "done")
            ),
            ("a2 no  bad thing\r\n", .tagged(tag: "a2", status: .no, code: nil, text: "bad thing")),
            ("+ go ahead\r\n", .continuation(text: "go ahead")),
            ("+\r\n", .continuation(text: "")),
            (
                "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n",
                .untaggedStatus(status: .ok, code: "UIDVALIDITY 3857529045", text: "UIDs valid")
            ),
            ("* BYE [ALERT] <b>bye</b>\r\n", .untaggedStatus(status: .bye, code: "ALERT", text: "<b>bye</b>")),
            ("* 23 EXISTS\r\n", .data(number: 23, name: "EXISTS", values: [])),
            (
                "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n",
                .data(number: nil, name: "CAPABILITY", values: [.atom("IMAP4rev1"), .atom("AUTH=PLAIN")])
            ),
            (
                "* SEARCH 2 84 882\r\n",
                .data(number: nil, name: "SEARCH", values: [.atom("2"), .atom("84"), .atom("882")])
            ),
            (
                "* LIST (\\Noselect) \"/\" {5}\r\nINBOX\r\n",
                .data(
                    number: nil, name: "LIST",
                    values: [.list([.atom("\\Noselect")]), .string(Array("/".utf8)), .string(Array("INBOX".utf8))])
            ),
            (
                "* 12 FETCH (FLAGS (\\Seen) BODY[HEADER.FIELDS (FROM)] \"a\\\"b\\\\\")\r\n",
                .data(
                    number: 12, name: "FETCH",
                    values: [
                        .list([
                            .atom("FLAGS"), .list([.atom("\\Seen")]), .atom("BODY[HEADER.FIELDS (FROM)]"),
                            .string(Array("a\"b\\".utf8)),
                        ])
                    ])
            ),
        ])
    func parses(wire: String, expected: IMAPResponse) throws {
        #expect(try Self.reader(wire).next() == expected)
    }

    @Test("a body literal is streamed to the sink, not kept")
    func streamsBody() throws {
        let body = "A0001 OK fake\r\n* BYE fake\r\n)\r\n"
        let parser = Self.reader(
            "* 1 FETCH (UID 9 BODY[] {\(body.utf8.count)}\r\n\(body) FLAGS ())\r\nA0001 OK done\r\n")
        var received: [UInt8] = []
        let response = try parser.next(body: { received.append(contentsOf: $0) })
        #expect(received == Array(body.utf8))
        #expect(
            response
                == .data(
                    number: 1, name: "FETCH",
                    values: [
                        .list([
                            .atom("UID"), .atom("9"), .atom("BODY[]"), .streamed(body.utf8.count), .atom("FLAGS"),
                            .list([]),
                        ])
                    ]))
        #expect(try parser.next() == .tagged(tag: "A0001", status: .ok, code: nil, text: "done"))
    }

    @Test(
        "B1: hostile literal sizes are refused before any allocation",
        arguments: ["{4294967296}", "{-1}", "{}", "{99999999999}", "{10+}", "{1001}", "{12a}", "{ 5}"])
    func hostileLiteral(literal: String) throws {
        let parser = Self.reader("* 1 FETCH (BODY[] \(literal)\r\nhello)\r\n")
        #expect(throws: FetchError.self) { _ = try parser.next(body: { _ in }) }
    }

    @Test("a non-body literal larger than the response budget is refused")
    func budget() throws {
        let parser = Self.reader("* LIST () \"/\" {5000}\r\n" + String(repeating: "x", count: 5000) + "\r\n")
        #expect(throws: FetchError.self) { _ = try parser.next() }
    }

    @Test("B9: lines ending in {0} count against the response allowance")
    func zeroLiteralFlood() throws {
        // Each line ends in an empty literal, so the response goes on with another line:
        // before B9 only literal bytes were counted, and 100,000 such lines were taken.
        let line = " X" + String(repeating: "y", count: 900) + " {0}\r\n"
        let parser = Self.reader("* 1 FETCH (UID 4 {0}\r\n" + String(repeating: line, count: 50) + ")\r\n")
        let error = #expect(throws: FetchError.self) { _ = try parser.next(body: { _ in }) }
        #expect(error?.description.contains("response larger than 4096 bytes") == true)

        // Within the allowance the same shape parses.
        let small = Self.reader("* 1 FETCH (UID 4 X {0}\r\n" + String(repeating: " X {0}\r\n", count: 3) + ")\r\n")
        guard case .data(1, "FETCH", let values) = try small.next(body: { _ in }), case .list(let items)? = values.first
        else {
            Issue.record("expected a FETCH response")
            return
        }
        #expect(items.count == 10)
    }

    @Test(
        "malformed responses are protocol violations",
        arguments: [
            "\r\n", "A1\r\n", "A1 MAYBE fine\r\n", "* OK [UIDVALIDITY 1 text\r\n", "* 1 FETCH (UID 1\r\n",
            "* 1 FETCH UID 1)\r\n", "* 1 FETCH (BODY[] \"unterminated)\r\n", "* 1 FETCH (X \"bad \\q escape\")\r\n",
            "* 1 FETCH (BODY[HEADER \r\n", "* 1 FETCH " + String(repeating: "(", count: 40) + "\r\n",
        ])
    func malformed(wire: String) throws {
        #expect(throws: FetchError.self) { _ = try Self.reader(wire).next() }
    }

    @Test("the line reader keeps long lines in chunks and discards buffered input")
    func lineReader() throws {
        let reader = LineReader(
            stream: ChunkedBytes("short\r\n" + String(repeating: "z", count: 1500) + "\nrest\r\nmore"),
            maxLineLength: 512)
        #expect(try reader.readLine() == Array("short".utf8))
        let (first, complete) = try reader.readLineChunk(limit: 1000)
        #expect(first.count == 1000 && !complete)
        let (second, done) = try reader.readLineChunk(limit: 1000)
        #expect(second.count == 501 && done)
        #expect(try reader.readLine() == Array("rest".utf8))
        #expect(reader.discardBuffered() > 0)
        #expect(throws: NetworkError.closed("end of stream")) { _ = try reader.readLine() }
    }

    @Test("the session deadline stops reading")
    func deadline() throws {
        let reader = LineReader(stream: ChunkedBytes("+OK\r\n"), maxLineLength: 512, deadline: Monotonic.now() - 1)
        #expect(throws: NetworkError.timedOut("session deadline reached")) { _ = try reader.readLine() }
    }
}
