// HTTPServerTests: the listener over real TLS on loopback with raw clients: keep-alive,
// every parser limit through a socket (madoguchi-security(7) D1, D4, D5, D6, D9),
// deadlines and the per-peer cap (D3), the peer filter before the handshake (D7), the
// response filter on every response, the redirect listener (D10), IPv6.

import Foundation
import MadoguchiCore
import MadoguchiHTTP
import MadoguchiTestSupport
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1)), .blocksThreads) struct HTTPServerTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates()
    }

    func client(_ server: HTTPServer, source: String? = nil) throws -> HTTPTestClient {
        try HTTPTestClient.connect(port: server.port, source: source, caFile: certificates.caFile)
    }

    @Test("GET over TLS with keep-alive; the request cap closes the connection")
    func keepAlive() throws {
        let server = try HTTPServer.fixture(certificates: certificates) { $0.maxRequestsPerConnection = 3 }
        defer { server.stop() }
        let client = try client(server)
        defer { client.close() }
        for index in 1...3 {
            let response = try #require(try client.exchange("GET /a?n=\(index) HTTP/1.1\r\nHost: x\r\n\r\n"))
            #expect(response.status == 200)
            #expect(response.text == "GET /a n=\(index) 0\n")
            #expect(response.header("content-type") == "text/plain; charset=utf-8")
            #expect(response.header("date") != nil)
            #expect(response.header("server") == nil)
            #expect((response.header("connection") == "close") == (index == 3))
        }
        #expect(client.closedByServer(within: 2))
    }

    @Test("HEAD gets the headers and no body; POST bodies arrive")
    func headAndPost() throws {
        let server = try HTTPServer.fixture(certificates: certificates)
        defer { server.stop() }
        let client = try client(server)
        defer { client.close() }
        let head = try #require(try client.exchange("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n", head: true))
        #expect(head.status == 200)
        #expect(head.header("content-length") == "11")
        #expect(
            try client.exchange("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")?.text == "POST /p  5\n"
        )
    }

    @Test("Expect: 100-continue gets an interim 100 before the body is sent")
    func continueInterim() throws {
        let server = try HTTPServer.fixture(certificates: certificates)
        defer { server.stop() }
        let client = try client(server)
        defer { client.close() }
        #expect(
            try client.exchange("POST /p HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")?
                .status == 100)
        #expect(try client.exchange("hello")?.text == "POST /p  5\n")
    }

    /// D1 through a socket: 400, then the server closes.
    @Test(
        "D1 CL+TE, two lengths, TE chunked/identity/xchunked and obs-fold: 400 and close",
        arguments: [
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n",
        ])
    func smuggling(_ request: String) throws {
        let server = try HTTPServer.fixture(certificates: certificates)
        defer { server.stop() }
        let client = try client(server)
        defer { client.close() }
        let response = try #require(try client.exchange(request + "GET /second HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(response.status == 400)
        #expect(response.header("connection") == "close")
        #expect(client.closedByServer(within: 3))
    }

    /// D4 through a socket: the status, then close; the server keeps serving.
    @Test("D4 a 64 KB request line is 414, 500 fields 431, a 1 MB cookie 431, a large body 413")
    func limits() throws {
        let server = try HTTPServer.fixture(certificates: certificates) { $0.limits.maxBodySize = 1000 }
        defer { server.stop() }
        let cases: [(String, Int)] = [
            ("GET /" + String(repeating: "a", count: 64 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            ("GET / HTTP/1.1\r\nHost: x\r\n" + (0..<500).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
            ("GET / HTTP/1.1\r\nHost: x\r\nCookie: " + String(repeating: "c", count: 1 << 20) + "\r\n\r\n", 431),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n" + String(repeating: "b", count: 1001), 413),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\n", 413),
        ]
        for (request, status) in cases {
            let client = try client(server)
            defer { client.close() }
            // The server may answer and close before all of a huge request is written.
            try? client.send(request)
            let response = try #require(try client.readResponse(), "no answer for \(status)")
            #expect(response.status == status)
            #expect(client.closedByServer(within: 3))
        }
        let client = try client(server)
        defer { client.close() }
        #expect(try client.exchange("GET /still HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 200)
    }

    /// D5 through a socket.
    @Test("D5 traversal targets are 400, a double-encoded one reaches no route (404)")
    func traversal() throws {
        let server = try HTTPServer.fixture(certificates: certificates)
        defer { server.stop() }
        let cases: [(String, Int)] = [
            ("/static/../../etc/passwd", 400), ("/static/%2e%2e%2f%2e%2e%2fetc/passwd", 400), ("/static/..%5cetc", 400),
            ("/static/%c0%ae%c0%ae/etc", 400), ("/x%00", 400), ("http://evil.example/", 400),
            ("/static/%252e%252e/etc/passwd", 404),
        ]
        let client = try client(server)
        defer { client.close() }
        for (target, status) in cases {
            let client = try self.client(server)
            defer { client.close() }
            #expect(try client.exchange("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")?.status == status, "\(target)")
        }
    }

    /// D6 through a socket.
    @Test("D6 PUT, DELETE, TRACE, CONNECT, OPTIONS are 405 with Allow")
    func methods() throws {
        let server = try HTTPServer.fixture(certificates: certificates)
        defer { server.stop() }
        for method in ["PUT", "DELETE", "TRACE", "CONNECT", "OPTIONS"] {
            let client = try client(server)
            defer { client.close() }
            let response = try #require(try client.exchange("\(method) / HTTP/1.1\r\nHost: x\r\n\r\n"))
            #expect(response.status == 405)
            #expect(response.header("allow") == "GET, HEAD, POST")
        }
    }

    /// D9 through a socket: a handler that copies CR/LF into Location gets a 500.
    @Test("D9 a response with CR/LF in a header becomes 500 and nothing is injected")
    func splitting() throws {
        let server = try HTTPServer.fixture(
            certificates: certificates, handler: { request in .redirect(to: request.queryValue("next") ?? "/") })
        defer { server.stop() }
        let client = try client(server)
        defer { client.close() }
        let response = try #require(
            try client.exchange("GET /login?next=%2Fok%0D%0ASet-Cookie%3A%20a%3Db HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(response.status == 500)
        #expect(response.header("set-cookie") == nil)
        #expect(response.header("location") == nil)
        #expect(response.header("connection") == "close")
        #expect(client.closedByServer(within: 3))
    }

    @Test("every response passes the response filter, parser refusals included")
    func responseFilter() throws {
        let server = try HTTPServer.fixture(
            certificates: certificates,
            responseFilter: { request, response in
                var response = response
                response.headers.set("X-Content-Type-Options", "nosniff")
                response.headers.set("X-Seen", request == nil ? "refused" : "request")
                return response
            })
        defer { server.stop() }
        let client = try client(server)
        defer { client.close() }
        let ok = try #require(try client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(ok.header("x-content-type-options") == "nosniff")
        #expect(ok.header("x-seen") == "request")
        let refused = try #require(try client.exchange("GET /../x HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(refused.status == 400)
        #expect(refused.header("x-seen") == "refused")
    }

    /// D3: a client that sends its header a byte at a time is cut off at the header
    /// deadline, however steadily it sends.
    @Test("D3 slowloris headers hit the header deadline; an idle keep-alive connection hits the idle deadline")
    func slowloris() throws {
        let server = try HTTPServer.fixture(certificates: certificates) {
            $0.headerTimeout = 1
            $0.idleTimeout = 0.5
        }
        defer { server.stop() }
        let client = try client(server)
        defer { client.close() }
        let start = Monotonic.now()
        var closed = false
        for byte in "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + String(repeating: "a", count: 100) {
            do {
                try client.send(String(byte))
            } catch {
                closed = true
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
            if Monotonic.now() - start > 5 { break }
        }
        #expect(closed || client.closedByServer(within: 1))
        #expect(Monotonic.now() - start < 3)
        // Idle: one request, then silence.
        let idle = try self.client(server)
        defer { idle.close() }
        #expect(try idle.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 200)
        let idleStart = Monotonic.now()
        #expect(idle.closedByServer(within: 3))
        #expect(Monotonic.now() - idleStart < 2)
    }

    @Test("D3 a busy keep-alive connection still ends at the whole-connection deadline")
    func connectionDeadline() throws {
        let server = try HTTPServer.fixture(certificates: certificates) { $0.connectionTimeout = 1 }
        defer { server.stop() }
        let client = try client(server)
        defer { client.close() }
        let start = Monotonic.now()
        var closedAfter: Double?
        for _ in 0..<40 {
            guard (try? client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")) != nil,
                let response = try? client.readResponse(), response.header("connection") != "close"
            else {
                closedAfter = Monotonic.now() - start
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let elapsed = try #require(closedAfter, "still open after 40 requests")
        #expect(elapsed >= 0.9 && elapsed < 3)
    }

    @Test("D3 a slow POST body is cut off at the body deadline")
    func slowBody() throws {
        let server = try HTTPServer.fixture(certificates: certificates) { $0.bodyTimeout = 1 }
        defer { server.stop() }
        let client = try client(server)
        defer { client.close() }
        try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        let start = Monotonic.now()
        var closed = false
        for _ in 0..<50 {
            do {
                try client.send("b")
            } catch {
                closed = true
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(closed || client.closedByServer(within: 1))
        #expect(Monotonic.now() - start < 3)
    }

    @Test("D3 past the global connection cap a new connection is closed at once")
    func globalCap() throws {
        let server = try HTTPServer.fixture(certificates: certificates) { $0.maxConnections = 2 }
        defer { server.stop() }
        let first = try HTTPTestClient.rawConnect(port: server.port, host: "127.0.0.1", source: nil, timeout: 5)
        defer { first.close() }
        let second = try HTTPTestClient.rawConnect(
            port: server.port, host: "127.0.0.1", source: "127.0.0.3", timeout: 5)
        defer { second.close() }
        Thread.sleep(forTimeInterval: 0.2)
        let third = try HTTPTestClient.rawConnect(port: server.port, host: "127.0.0.1", source: "127.0.0.4", timeout: 5)
        defer { third.close() }
        var byte = [UInt8](repeating: 0, count: 1)
        let start = Monotonic.now()
        let count = try? byte.withUnsafeMutableBytes { try third.read(into: $0) }
        #expect(count == 0 || count == nil)
        #expect(Monotonic.now() - start < 2)
    }

    @Test("D3 a TLS handshake that never finishes is cut off at the handshake deadline")
    func slowHandshake() throws {
        let server = try HTTPServer.fixture(certificates: certificates) { $0.handshakeTimeout = 1 }
        defer { server.stop() }
        let socket = try HTTPTestClient.rawConnect(port: server.port, host: "127.0.0.1", source: nil, timeout: 5)
        defer { socket.close() }
        // The first bytes of a TLS record header, then nothing.
        try socket.write([0x16, 0x03, 0x01])
        let start = Monotonic.now()
        var byte = [UInt8](repeating: 0, count: 1)
        let count = try? byte.withUnsafeMutableBytes { try socket.read(into: $0) }
        #expect(count == 0 || count == nil)
        #expect(Monotonic.now() - start < 3)
    }

    /// D3: one peer holding 1,000 connections does not starve another.
    @Test("D3 1,000 idle connections from one peer do not stop another peer getting answers")
    func perPeerCap() throws {
        let server = try HTTPServer.fixture(certificates: certificates) {
            $0.maxConnections = 16
            $0.maxConnectionsPerPeer = 5
        }
        defer { server.stop() }
        var idle: [SocketConnection] = []
        defer { idle.forEach { $0.close() } }
        for _ in 0..<1000 {
            idle.append(try HTTPTestClient.rawConnect(port: server.port, host: "127.0.0.1", source: nil, timeout: 5))
        }
        // Over the cap, a connection from the same peer is closed at once.
        let extra = try HTTPTestClient.rawConnect(port: server.port, host: "127.0.0.1", source: nil, timeout: 5)
        defer { extra.close() }
        var byte = [UInt8](repeating: 0, count: 1)
        let start = Monotonic.now()
        let count = try? byte.withUnsafeMutableBytes { try extra.read(into: $0) }
        #expect(count == 0 || count == nil)
        #expect(Monotonic.now() - start < 2)
        // Another peer address (127.0.0.2 is loopback too) is served.
        let other = try client(server, source: "127.0.0.2")
        defer { other.close() }
        #expect(try other.exchange("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 200)
    }

    /// D7 and the peer filter: it sees the socket's address, never a header, and runs
    /// before the TLS handshake.
    @Test("D7 the allow-list as peer filter refuses before the handshake and ignores X-Forwarded-For")
    func peerFilter() throws {
        let seen = Mutex<[String]>([])
        let allowList = try IPAllowList(parsing: "127.0.0.2/32, ::1")
        let server = try HTTPServer.fixture(
            certificates: certificates,
            peerFilter: { peer in
                seen.withLock { $0.append(peer.description) }
                return allowList.allows(peer)
            })
        defer { server.stop() }
        // Refused: closed without the client sending a single byte (no ClientHello).
        let socket = try HTTPTestClient.rawConnect(port: server.port, host: "127.0.0.1", source: nil, timeout: 5)
        defer { socket.close() }
        var byte = [UInt8](repeating: 0, count: 1)
        let count = try? byte.withUnsafeMutableBytes { try socket.read(into: $0) }
        #expect(count == 0 || count == nil)
        #expect(throws: (any Error).self) { try self.client(server) }
        let allowed = try client(server, source: "127.0.0.2")
        defer { allowed.close() }
        #expect(try allowed.exchange("GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n")?.status == 200)
        #expect(seen.withLock { $0 }.starts(with: ["127.0.0.1", "127.0.0.1", "127.0.0.2"]))
    }

    /// D10: the redirect listener builds Location from configuration, never from Host.
    @Test("D10 the plain-HTTP redirect listener answers 301 to the configured base URL")
    func redirect() throws {
        let server = try HTTPServer.fixture(
            certificates: nil, handler: HTTPServer.redirectHandler(to: "https://madoguchi.example:8443/"))
        defer { server.stop() }
        let client = try HTTPTestClient.connect(port: server.port)
        defer { client.close() }
        let response = try #require(try client.exchange("GET /inquiries/7?x=1 HTTP/1.1\r\nHost: evil.example\r\n\r\n"))
        #expect(response.status == 301)
        #expect(response.header("location") == "https://madoguchi.example:8443/inquiries/7?x=1")
    }

    @Test("IPv6: a listener on [::1] serves and sees the peer as ::1")
    func ipv6() throws {
        let server = try HTTPServer.fixture(
            certificates: nil, listen: "[::1]:0", handler: { request in .text(request.peer.description) })
        defer { server.stop() }
        let client = try HTTPTestClient.connect(port: server.port, host: "::1")
        defer { client.close() }
        #expect(try client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n")?.text == "::1")
    }
}
