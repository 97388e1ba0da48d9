// HTTPResponseWriterTests: the serialized response: owned fields (Date,
// Content-Length, Connection), charset on text, no Server banner, HEAD without a
// body, and CR/LF refused in every field (madoguchi-security(7) D9).

import MadoguchiHTTP
import Testing

@Suite struct HTTPResponseWriterTests {
    static func text(_ response: HTTPResponse, head: Bool = false, close: Bool = false) throws -> String {
        var writer = HTTPResponseWriter()
        let complete = try writer.serialize(response, head: head, close: close)
        #expect(complete)
        return String(decoding: writer.buffer, as: UTF8.self)
    }

    @Test("a text response carries Date, Content-Length, a charset and no Server banner")
    func ownedFields() throws {
        var response = HTTPResponse(status: .ok, contentType: "text/css", body: Array("a{}".utf8))
        response.headers.add("Server", "Madoguchi/1.0")
        response.headers.add("Content-Length", "999")
        response.headers.add("X-Content-Type-Options", "nosniff")
        let text = try Self.text(response, close: true)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.contains("Content-Type: text/css; charset=utf-8\r\n"))
        #expect(text.contains("Content-Length: 3\r\n"))
        #expect(!text.contains("999"))
        #expect(!text.contains("Server"))
        #expect(text.contains("X-Content-Type-Options: nosniff\r\n"))
        #expect(text.contains("Connection: close\r\n"))
        #expect(text.hasSuffix("\r\n\r\na{}"))
        let date = try #require(text.split(separator: "\r\n").first { $0.hasPrefix("Date: ") })
        // IMF-fixdate: "Date: Sun, 06 Nov 1994 08:49:37 GMT"
        #expect(date.count == "Date: Sun, 06 Nov 1994 08:49:37 GMT".count)
        #expect(date.hasSuffix(" GMT"))
    }

    @Test("HEAD sends the length but not the body; 304 sends neither")
    func headHasNoBody() throws {
        let text = try Self.text(.html("<p>hello</p>"), head: true)
        #expect(text.contains("Content-Length: 12\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
        let notModified = try Self.text(HTTPResponse(status: .notModified))
        #expect(!notModified.contains("Content-Length"))
    }

    @Test("a large body is left for a second write")
    func largeBody() throws {
        var writer = HTTPResponseWriter()
        let response = HTTPResponse(
            contentType: "application/octet-stream", body: [UInt8](repeating: 1, count: 1 << 20))
        #expect(try !writer.serialize(response, head: false, close: false))
        #expect(String(decoding: writer.buffer, as: UTF8.self).contains("Content-Length: 1048576\r\n"))
    }

    /// D9: response splitting through any header value (e.g. a `next=` parameter copied
    /// into Location) is refused.
    @Test(
        "D9 CR, LF and control bytes in a header are refused by the writer",
        arguments: [
            ("Location", "/ok\r\nSet-Cookie: a=b"), ("Location", "/ok\nSet-Cookie: a=b"), ("Location", "/ok\r"),
            ("X-A", "a\u{0}b"), ("X-A", "a\u{7F}"), ("Bad Name", "v"), ("Bad:Name", "v"), ("", "v"),
            ("X-A\r\nSet-Cookie", "v"),
        ])
    func splitting(_ name: String, _ value: String) {
        var response = HTTPResponse.text("x")
        response.headers.add(name, value)
        var writer = HTTPResponseWriter()
        #expect(throws: HTTPResponseError.self) { try writer.serialize(response, head: false, close: false) }
    }

    @Test("D9 a reason phrase with CR/LF is refused; a tab in a value is fine")
    func reasonAndTab() throws {
        var writer = HTTPResponseWriter()
        #expect(throws: HTTPResponseError.invalidStatus(200)) {
            try writer.serialize(HTTPResponse(status: HTTPStatus(200, "OK\r\nX: y")), head: false, close: false)
        }
        var response = HTTPResponse.text("x")
        response.headers.add("X-A", "a\tb")
        #expect(try Self.text(response).contains("X-A: a\tb\r\n"))
    }

    @Test("405 carries Allow")
    func allow() throws {
        let text = try Self.text(.error(HTTPError(.methodNotAllowed, "PUT")))
        #expect(text.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
        #expect(text.contains("Allow: GET, HEAD, POST\r\n"))
    }
}
