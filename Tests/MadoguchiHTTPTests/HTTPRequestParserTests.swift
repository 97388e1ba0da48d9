// HTTPRequestParserTests: the pure request parser, no sockets: grammar, framing
// (madoguchi-security(7) D1), limits (D4), targets (D5), methods (D6), and
// incremental feeding one byte at a time.

import MadoguchiHTTP
import Testing

@Suite struct HTTPRequestParserTests {
    /// Feeds `text` in chunks of `chunk` bytes and returns every result until the first
    /// request or error (or `.needMore` at the end).
    static func parse(_ text: String, chunk: Int = .max, limits: HTTPRequestParser.Limits = .init())
        -> HTTPRequestParser.Result
    {
        parse(Array(text.utf8), chunk: chunk, limits: limits)
    }

    static func parse(_ bytes: [UInt8], chunk: Int = .max, limits: HTTPRequestParser.Limits = .init())
        -> HTTPRequestParser.Result
    {
        let parser = HTTPRequestParser(limits: limits)
        var rest = bytes[...]
        repeat {
            let taken = parser.append(rest.prefix(chunk))
            rest = rest.dropFirst(taken)
            let result = parser.next()
            if result != .needMore { return result }
        } while !rest.isEmpty
        return .needMore
    }

    static func status(_ result: HTTPRequestParser.Result) -> Int? {
        if case .error(let error) = result { return error.status.code }
        if case .request = result { return 200 }
        return nil
    }

    /// The request `text` parses to, or a recorded issue.
    static func request(_ text: String) throws -> HTTPRequest {
        let result = parse(text)
        guard case .request(let request) = result else {
            Issue.record("not a request: \(result)")
            throw CancellationError()
        }
        return request
    }

    @Test("a GET with query, headers and cookies parses")
    func simpleGet() throws {
        let request = try Self.request(
            "GET /inquiries/42?q=%E7%AA%93%E5%8F%A3&page=2&flag&x=a+b HTTP/1.1\r\nHost: example\r\n"
                + "Cookie: a=1; __Host-session=abc; b=2\r\nX-Thing:  value with  spaces \t\r\n\r\n")
        #expect(request.method == .get)
        #expect(request.path == "/inquiries/42")
        #expect(request.queryValue("q") == "窓口")
        #expect(request.queryValue("page") == "2")
        #expect(request.queryValue("flag") == "")
        #expect(request.queryValue("x") == "a b")
        #expect(request.headers["HOST"] == "example")
        #expect(request.headers["x-thing"] == "value with  spaces")
        #expect(request.cookie("__Host-session") == "abc")
        #expect(request.cookie("b") == "2")
        #expect(request.cookie("c") == nil)
        #expect(request.keepAlive)
        #expect(request.body.isEmpty)
    }

    @Test("cookies: the first of a name across lines, names matched whole and by byte, blanks and empty pairs skipped")
    func cookies() throws {
        let request = try Self.request(
            "GET / HTTP/1.1\r\nHost: example\r\nCookie: ;; __Host-sidx=wrong;\t__Host-sid=tok en; =x; lang\r\n"
                + "Cookie: __host-sid=case; lang=ja; 窓口=é; __Host-sid=second; e=\r\n\r\n")
        #expect(request.cookie("__Host-sid") == "tok")
        #expect(request.cookie("__Host-sidx") == "wrong")
        #expect(request.cookie("__host-sid") == "case")
        #expect(request.cookie("__Host-si") == nil)
        #expect(request.cookie("lang") == "ja")
        #expect(request.cookie("窓口") == "é")
        #expect(request.cookie("e") == "")
        #expect(request.cookie("") == "x")
        #expect(request.cookie("missing") == nil)
    }

    @Test("a POST body arrives byte by byte and pipelined requests follow")
    func incrementalPost() throws {
        let text =
            "POST /login HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nlogin=a%26b"
            + "GET /next HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        let parser = HTTPRequestParser()
        var results: [HTTPRequestParser.Result] = []
        for byte in text.utf8 {
            #expect(parser.append([byte]) == 1)
            let result = parser.next()
            if result != .needMore { results.append(result) }
        }
        #expect(results.count == 2)
        guard case .request(let post) = results.first, case .request(let next) = results.last else {
            Issue.record("expected two requests: \(results)")
            return
        }
        #expect(post.method == .post)
        #expect(post.body == Array("login=a%26b".utf8))
        #expect(try post.formItems() == [HTTPRequest.QueryItem(name: "login", value: "a&b")])
        #expect(next.path == "/next")
        #expect(!next.keepAlive)
    }

    @Test("HEAD and HTTP/1.0 parse; HTTP/1.0 closes unless keep-alive is asked for")
    func headAndOldVersion() {
        guard case .request(let head) = Self.parse("HEAD / HTTP/1.0\r\n\r\n") else {
            Issue.record("HEAD refused")
            return
        }
        #expect(head.method == .head)
        #expect(!head.keepAlive)
        guard case .request(let kept) = Self.parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") else {
            Issue.record("GET refused")
            return
        }
        #expect(kept.keepAlive)
    }

    @Test("leading empty lines before a request are skipped (RFC 9112 section 2.2)")
    func leadingEmptyLines() {
        #expect(Self.status(Self.parse("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")) == 200)
        #expect(Self.status(Self.parse(String(repeating: "\r\n", count: 10) + "GET / HTTP/1.1\r\n\r\n")) == 400)
    }

    /// D1: framing that a proxy could read differently, and grammar errors.
    @Test(
        "D1 smuggling and grammar: 400 and close",
        arguments: [
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc",
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\nContent-Length: 1\r\n\r\na",
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n\r\nabc",
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +3\r\n\r\nabc",
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n two\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n\ttwo\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nX-A : one\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\n: one\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nNo colon\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{0}b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n",
            "GET / HTTP/1.1\nHost: h\n\n",
            "GET / HTTP/1.1\r\nHost: h\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
            "GET /\r\nHost: h\r\n\r\n",
            "GET / http/1.1\r\nHost: h\r\n\r\n",
            "G@T / HTTP/1.1\r\nHost: h\r\n\r\n",
        ])
    func smugglingAndGrammar(_ text: String) {
        let result = Self.parse(text)
        guard case .error(let error) = result else {
            Issue.record("accepted: \(result)")
            return
        }
        #expect(error.status == .badRequest)
        #expect(error.close)
    }

    @Test("a valid but unsupported version is 505")
    func version() {
        #expect(Self.status(Self.parse("GET / HTTP/2.0\r\nHost: h\r\n\r\n")) == 505)
    }

    /// D6: every other method is 405; override headers change nothing.
    @Test("D6 other methods are 405", arguments: ["PUT", "DELETE", "TRACE", "CONNECT", "OPTIONS", "PATCH", "get"])
    func methods(_ method: String) {
        #expect(Self.status(Self.parse("\(method) / HTTP/1.1\r\nHost: h\r\n\r\n")) == 405)
    }

    @Test("D6 X-HTTP-Method-Override is not honoured")
    func methodOverride() {
        let result = Self.parse(
            "POST / HTTP/1.1\r\nHost: h\r\nX-HTTP-Method-Override: DELETE\r\nX-Method-Override: PUT\r\n\r\n")
        guard case .request(let request) = result else {
            Issue.record("refused: \(result)")
            return
        }
        #expect(request.method == .post)
    }

    /// D5: target forms and traversal.
    @Test(
        "D5 traversal and non-origin targets are 400",
        arguments: [
            "/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/%2e%2e%2fetc", "/a/./b",
            "/a/.", "/..", "/%2E%2E/x", "/static/..%5c..%5cetc", "/static/..\\..\\etc", "/x%00.css", "/x%0",
            "/x%zz", "/x%", "/%c0%ae%c0%ae/etc", "/%ff", "http://evil/", "https://h/x", "evil:443", "*",
            "//evil%2f..", "/a#frag", "/a b", "/a\"b", "/a<b>", "/a{b}", "/a|b", "/a^b", "/a`b", "/é",
            "/?q=%00", "/?q=%ff", "/?q=%g0",
        ])
    func targets(_ target: String) {
        #expect(Self.status(Self.parse("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n")) == 400)
    }

    @Test("D5 single decoding: %252e%252e stays a literal segment (no route matches it)")
    func doubleEncoding() {
        guard case .request(let request) = Self.parse("GET /static/%252e%252e/x HTTP/1.1\r\nHost: h\r\n\r\n") else {
            Issue.record("refused")
            return
        }
        #expect(request.path == "/static/%2e%2e/x")
    }

    @Test("D5 ordinary paths with dots, tildes and sub-delims are accepted")
    func ordinaryPaths() {
        for target in ["/static/app.css", "/a/...", "/a/.b", "/~user", "/a;b=c", "/a:b@c!$&'()*+,=", "//x"] {
            #expect(Self.status(Self.parse("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n")) == 200, "\(target)")
        }
    }

    /// D4: every limit, at the limit and one past it.
    @Test("D4 request line: 8 KiB passes, one byte more is 414, a 64 KB line is 414 after 8 KiB")
    func requestLineLimit() {
        let prefix = "GET /"
        let suffix = " HTTP/1.1"
        let fits = prefix + String(repeating: "a", count: 8192 - prefix.count - suffix.count) + suffix
        #expect(fits.utf8.count == 8192)
        #expect(Self.status(Self.parse(fits + "\r\nHost: h\r\n\r\n")) == 200)
        let over = prefix + String(repeating: "a", count: 8193 - prefix.count - suffix.count) + suffix
        #expect(Self.status(Self.parse(over + "\r\nHost: h\r\n\r\n")) == 414)
        // No CRLF in sight: refused once the line is over the limit, without waiting for it.
        let parser = HTTPRequestParser()
        parser.append(Array(("GET /" + String(repeating: "a", count: 8200)).utf8))
        #expect(Self.status(parser.next()) == 414)
    }

    @Test("D4 a pipelined second request is measured from its own first byte (8 KiB line passes)")
    func pipelinedLimit() {
        let prefix = "GET /"
        let suffix = " HTTP/1.1"
        let line = prefix + String(repeating: "b", count: 8192 - prefix.count - suffix.count) + suffix
        let parser = HTTPRequestParser()
        parser.append(Array("GET /a HTTP/1.1\r\nHost: h\r\n\r\n\(line)\r\nHost: h\r\n\r\n".utf8))
        #expect(Self.status(parser.next()) == 200)
        #expect(Self.status(parser.next()) == 200)
    }

    @Test("D4 field count: 100 fields pass, 101 is 431, 500 is 431")
    func fieldCountLimit() {
        func request(_ count: Int) -> String {
            "GET / HTTP/1.1\r\nHost: h\r\n" + (1..<count).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        }
        #expect(Self.status(Self.parse(request(100))) == 200)
        #expect(Self.status(Self.parse(request(101))) == 431)
        #expect(Self.status(Self.parse(request(500))) == 431)
    }

    @Test("D4 100 fields pass when the CR and LF of the final empty line arrive in different reads")
    func fieldCountSplitEnd() {
        let text = "GET / HTTP/1.1\r\nHost: h\r\n" + (1..<100).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        let parser = HTTPRequestParser()
        parser.append(Array(text.utf8.dropLast()))
        #expect(parser.next() == .needMore)
        parser.append([0x0A])
        #expect(Self.status(parser.next()) == 200)
    }

    @Test("D4 field size: 8 KiB passes, one more is 431; a 1 MB cookie is 431 without buffering it")
    func fieldSizeLimit() {
        let name = "Cookie: "
        let fits = name + String(repeating: "c", count: 8192 - name.count)
        #expect(Self.status(Self.parse("GET / HTTP/1.1\r\nHost: h\r\n\(fits)\r\n\r\n")) == 200)
        #expect(Self.status(Self.parse("GET / HTTP/1.1\r\nHost: h\r\n\(fits)c\r\n\r\n")) == 431)
        let huge = Array(("GET / HTTP/1.1\r\nHost: h\r\nCookie: " + String(repeating: "c", count: 1 << 20)).utf8)
        #expect(Self.status(Self.parse(huge, chunk: 16 * 1024)) == 431)
    }

    @Test("D4 header block: lines with their CRLF count against the 32 KiB limit; over it is 431")
    func headerBlockLimit() {
        // 8 fields of 4096 bytes (with CRLF minus one) = 32768 bytes with their LF.
        let field = "X-A: " + String(repeating: "v", count: 4095 - 5)
        let block = (0..<8).map { _ in field + "\r\n" }.joined()
        #expect(block.utf8.count == 8 * 4096 + 8)
        var limits = HTTPRequestParser.Limits()
        limits.maxHeaderBlock = 8 * 4096 + 100
        #expect(Self.status(Self.parse("GET / HTTP/1.1\r\n\(block)Host: h\r\n\r\n", limits: limits)) == 200)
        limits.maxHeaderBlock = 8 * 4096
        #expect(Self.status(Self.parse("GET / HTTP/1.1\r\n\(block)Host: h\r\n\r\n", limits: limits)) == 431)
        let many = (0..<9).map { _ in field + "\r\n" }.joined()
        #expect(Self.status(Self.parse("GET / HTTP/1.1\r\nHost: h\r\n\(many)\r\n")) == 431)
    }

    @Test("D4 body: at the limit passes, one byte more is 413 before the body is sent")
    func bodyLimit() {
        var limits = HTTPRequestParser.Limits()
        limits.maxBodySize = 10
        let ten = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789"
        #expect(Self.status(Self.parse(ten, limits: limits)) == 200)
        // Refused as soon as the head is complete: no body byte has been sent yet.
        #expect(
            Self.status(Self.parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", limits: limits)) == 413)
        let huge = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999999\r\n\r\n"
        #expect(Self.status(Self.parse(huge)) == 413)
    }

    @Test("D4 a per-route body limit replaces the global one")
    func routeBodyLimit() {
        var limits = HTTPRequestParser.Limits()
        limits.maxBodySize = 10
        limits.bodyLimit = { method, path in method == .post && path == "/upload" ? 100 : nil }
        let body = String(repeating: "x", count: 50)
        #expect(
            Self.status(
                Self.parse("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 50\r\n\r\n\(body)", limits: limits))
                == 200)
        #expect(
            Self.status(
                Self.parse("POST /other HTTP/1.1\r\nHost: h\r\nContent-Length: 50\r\n\r\n\(body)", limits: limits))
                == 413)
    }

    @Test("Expect: 100-continue is asked for once the head passed its limits; other expectations are 417")
    func expectContinue() {
        let parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
        #expect(parser.next() == .needMore)
        #expect(parser.wantsContinue)
        parser.acknowledgeContinue()
        #expect(!parser.wantsContinue)
        parser.append(Array("ok".utf8))
        #expect(Self.status(parser.next()) == 200)
        var limits = HTTPRequestParser.Limits()
        limits.maxBodySize = 1
        let tooLarge = "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
        #expect(Self.status(Self.parse(tooLarge, limits: limits)) == 413)
        #expect(Self.status(Self.parse("GET / HTTP/1.1\r\nHost: h\r\nExpect: magic\r\n\r\n")) == 417)
    }

    @Test("an error is sticky: the connection must close")
    func stickyError() {
        let parser = HTTPRequestParser()
        parser.append(Array("PUT / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        #expect(Self.status(parser.next()) == 405)
        #expect(Self.status(parser.next()) == 405)
    }
}
