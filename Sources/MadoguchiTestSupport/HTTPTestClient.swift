// HTTPTestClient: a raw HTTP/1.1 client for the server tests: a TCP connection
// (optionally from a chosen loopback source address, to act as another peer), TLS
// through the product's own verified client, raw bytes out, responses parsed just
// enough to check status, fields and body.

import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiHTTP

/// A raw client connection to a test server.
public final class HTTPTestClient {
    /// A response as read off the wire.
    public struct Response: Sendable {
        /// The status code.
        public let status: Int
        /// The fields, names in lower case.
        public let headers: [(name: String, value: String)]
        /// The body (Content-Length bytes).
        public let body: [UInt8]

        /// The first value of a field.
        /// - Parameter name: lower-case name.
        public func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The TCP socket.
    public let socket: SocketConnection
    /// The stream requests go over (the socket, or TLS over it).
    public let stream: any ByteStream
    private var buffered: [UInt8] = []

    private init(socket: SocketConnection, stream: any ByteStream) {
        self.socket = socket
        self.stream = stream
    }

    /// Connects (and with `caFile`, completes a verified TLS handshake for 127.0.0.1).
    /// - Parameters:
    ///   - port: the server's port.
    ///   - host: an IPv4 or IPv6 literal.
    ///   - source: a local address to bind first (e.g. `127.0.0.2`: another peer).
    ///   - caFile: the CA to trust for TLS; nil for plain TCP.
    ///   - timeout: seconds for connect and each read and write.
    /// - Throws: `NetworkError`, `TLSError`.
    public static func connect(
        port: UInt16, host: String = "127.0.0.1", source: String? = nil, caFile: String? = nil, timeout: Double = 5
    ) throws -> HTTPTestClient {
        let socket = try rawConnect(port: port, host: host, source: source, timeout: timeout)
        guard let caFile else { return HTTPTestClient(socket: socket, stream: socket) }
        let context = try TLSClientContext(caFile: caFile)
        return HTTPTestClient(
            socket: socket, stream: try TLSConnection.handshake(over: socket, host: host, context: context))
    }

    /// A plain TCP connection, optionally bound to `source` first.
    /// - Throws: `NetworkError`.
    public static func rawConnect(port: UInt16, host: String, source: String?, timeout: Double) throws
        -> SocketConnection
    {
        let v6 = host.contains(":")
        let fd = Glibc.socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NetworkError.io("socket", code: errno) }
        let connection = SocketConnection(fd: fd, peer: "\(host):\(port)")
        try connection.setTimeouts(timeout)
        guard let target = IPAddress(host) else { throw NetworkError.badAddress(host) }
        if let source {
            guard let local = IPAddress(source), local.withSocketAddress(port: 0, { Glibc.bind(fd, $0, $1) }) == 0
            else {
                throw NetworkError.io("bind \(source)", code: errno)
            }
        }
        guard target.withSocketAddress(port: port, { Glibc.connect(fd, $0, $1) }) == 0 else {
            throw NetworkError.connectFailed(address: "\(host):\(port)", code: errno)
        }
        return connection
    }

    /// Sends text as is.
    /// - Throws: `NetworkError`.
    public func send(_ text: String) throws {
        try stream.write(Array(text.utf8))
    }

    /// Sends bytes as they are.
    /// - Throws: `NetworkError`.
    public func send(_ bytes: [UInt8]) throws {
        try stream.write(bytes)
    }

    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
        if count == 0 { return false }
        buffered.append(contentsOf: chunk[0..<count])
        return true
    }

    /// Sends one request and reads its response.
    /// - Parameters:
    ///   - request: the raw request text.
    ///   - head: true for a HEAD request (no body follows the response head).
    /// - Returns: the response, or nil when the server closed without one.
    /// - Throws: `NetworkError`, `TestToolError`.
    public func exchange(_ request: String, head: Bool = false) throws -> Response? {
        try send(request)
        return try readResponse(head: head)
    }

    /// Reads one response.
    /// - Parameter head: true when it answers a HEAD request (no body follows).
    /// - Returns: the response, or nil when the server closed before sending one.
    /// - Throws: `NetworkError` on timeout, `TestToolError` for a malformed response.
    public func readResponse(head: Bool = false) throws -> Response? {
        var end: Int?
        while true {
            if let found = Self.find([13, 10, 13, 10], in: buffered) {
                end = found
                break
            }
            guard try fill() else {
                if buffered.isEmpty { return nil }
                throw TestToolError("connection closed inside a response head")
            }
        }
        let headText = String(decoding: buffered[0..<end!], as: UTF8.self)
        buffered.removeFirst(end! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else {
            throw TestToolError("bad status line \(headText.prefix(80))")
        }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (
                String(line[..<colon]).lowercased(),
                String(line[line.index(after: colon)...].drop { $0 == " " })
            )
        }
        let length = head ? 0 : Int(headers.first { $0.name == "content-length" }?.value ?? "0") ?? 0
        while buffered.count < length {
            guard try fill() else { throw TestToolError("connection closed inside a response body") }
        }
        let body = Array(buffered[0..<length])
        buffered.removeFirst(length)
        return Response(status: status, headers: headers, body: body)
    }

    /// True when the server closes the connection (EOF or reset) before `timeout`
    /// seconds, having sent nothing more.
    /// - Parameter timeout: seconds to wait.
    public func closedByServer(within timeout: Double) -> Bool {
        try? socket.setTimeouts(timeout)
        do {
            return try !fill() && buffered.isEmpty
        } catch NetworkError.timedOut {
            return false
        } catch {
            // A reset, or TLS ending without close_notify: closed all the same.
            return buffered.isEmpty
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if Array(haystack[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }

    /// Closes the connection.
    public func close() {
        (stream as? TLSConnection)?.close()
        socket.close()
    }
}
