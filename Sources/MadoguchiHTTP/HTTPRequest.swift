// HTTPRequest: one parsed request as a value: method, the origin-form target and its
// percent-decoded path and query, header fields, body bytes and the socket's peer
// address. Built only by HTTPRequestParser, so every field already passed its checks.

/// A parsed HTTP/1.1 request.
public struct HTTPRequest: Sendable, Equatable {
    /// One `name=value` pair of the query (or of a form body), percent-decoded.
    public struct QueryItem: Sendable, Equatable {
        /// The decoded name.
        public let name: String
        /// The decoded value (empty when the pair had no `=`).
        public let value: String

        /// A pair.
        /// - Parameters:
        ///   - name: the decoded name.
        ///   - value: the decoded value.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The method (GET, HEAD or POST; others never get this far).
    public let method: HTTPMethod
    /// The request target exactly as received (origin-form: path and optional `?query`).
    public let target: String
    /// The percent-decoded path: starts with `/`, valid UTF-8, no NUL, no backslash,
    /// no `.` or `..` segment.
    public let path: String
    /// The decoded query items in order (`+` read as a space, as HTML forms send it).
    public let query: [QueryItem]
    /// The header fields as received.
    public let headers: HTTPHeaders
    /// The body (`Content-Length` bytes; empty without one).
    public let body: [UInt8]
    /// The TCP peer address of the connection (never a forwarded-for header).
    public let peer: IPAddress
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public let minorVersion: Int
    /// False when the client asked to close (`Connection: close`, or HTTP/1.0).
    public let keepAlive: Bool

    /// A request; the parser builds these, tests may too.
    /// - Parameters:
    ///   - method: the method.
    ///   - target: the raw target.
    ///   - path: the decoded path.
    ///   - query: the decoded query items.
    ///   - headers: the fields.
    ///   - body: the body bytes.
    ///   - peer: the peer address.
    ///   - minorVersion: 0 or 1.
    ///   - keepAlive: whether the connection may stay open.
    public init(
        method: HTTPMethod, target: String, path: String, query: [QueryItem] = [], headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [], peer: IPAddress = IPAddress(ipv4: 0x7F00_0001), minorVersion: Int = 1,
        keepAlive: Bool = true
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.peer = peer
        self.minorVersion = minorVersion
        self.keepAlive = keepAlive
    }

    /// The first query value of that name.
    /// - Parameter name: the decoded name (case-sensitive).
    /// - Returns: the decoded value, or nil.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// The value of a cookie from the `Cookie` header fields (RFC 6265 section 5.4: pairs
    /// separated by `; `). The first cookie of that name wins.
    /// - Parameter name: the cookie name (case-sensitive).
    /// - Returns: the value as sent, or nil.
    public func cookie(_ name: String) -> String? {
        // Over the UTF-8 bytes: `;`, `=`, space and tab are ASCII, and splitting on
        // Characters cost grapheme breaking on every request (RFC 6265 section 5.4).
        var name = name
        return name.withUTF8 { wanted in
            for line in headers.values("cookie") {
                var line = line
                if let value = line.withUTF8({ Self.cookieValue(wanted, in: $0) }) { return value }
            }
            return nil
        }
    }

    /// The value of the first `name=value` pair of one Cookie line, nil if none.
    private static func cookieValue(_ name: UnsafeBufferPointer<UInt8>, in line: UnsafeBufferPointer<UInt8>)
        -> String?
    {
        let semicolon = UInt8(ascii: ";")
        let equals = UInt8(ascii: "=")
        func blank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = 0
        while start <= line.count {
            var end = start
            while end < line.count && line[end] != semicolon { end += 1 }
            var from = start
            while from < end && blank(line[from]) { from += 1 }
            var sign = from
            while sign < end && line[sign] != equals { sign += 1 }
            if sign < end && sign - from == name.count && (0..<name.count).allSatisfy({ line[from + $0] == name[$0] }) {
                var valueEnd = sign + 1
                while valueEnd < end && !blank(line[valueEnd]) { valueEnd += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: line[(sign + 1)..<valueEnd]), as: UTF8.self)
            }
            start = end + 1
        }
        return nil
    }

    /// The body read as `application/x-www-form-urlencoded` (the form encoding of the
    /// HTML standard: `+` is a space, percent escapes are UTF-8).
    /// - Returns: the decoded pairs.
    /// - Throws: `HTTPError` 400 for a bad escape, a NUL or invalid UTF-8.
    public func formItems() throws(HTTPError) -> [QueryItem] {
        var result: Result<[QueryItem], HTTPError> = .success([])
        body.withUnsafeBytes { raw in
            result = Result { () throws(HTTPError) in try HTTPTarget.decodeQuery(raw) }
        }
        return try result.get()
    }
}
