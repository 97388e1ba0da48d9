// HTTPRequestParser: an incremental HTTP/1.1 request parser over bytes (RFC 9112),
// no sockets. The connection reads blocks into the parser's own fixed buffer; the
// parser returns `.needMore`, a request, or an error with the status to answer.
// SECURITY (madoguchi-security(7) D1, D4, D5, D6): strict grammar (CRLF only, no
// obs-fold, token field names, no control bytes in values); Content-Length framing
// only, any Transfer-Encoding, a second Content-Length or a non-digit one is 400
// and close; limits are checked while bytes arrive, and a body over its limit is
// refused before it is allocated.

import Glibc

/// Parses requests from a byte stream, one after another.
public final class HTTPRequestParser {
    /// What `next()` found.
    public enum Result: Sendable, Equatable {
        /// The request is not complete yet: read more bytes.
        case needMore
        /// A complete request.
        case request(HTTPRequest)
        /// A refused request; answer with its status (and close when it says so).
        case error(HTTPError)
    }

    /// The parsed head of a request whose body is still arriving.
    private struct Head {
        var method: HTTPMethod
        var target: String
        var path: String
        var query: [HTTPRequest.QueryItem]
        var headers: HTTPHeaders
        var minorVersion: Int
        var keepAlive: Bool
    }

    /// The limits in force.
    public let limits: Limits
    /// The peer address stamped on every request.
    public let peer: IPAddress

    private let storage: UnsafeMutableRawBufferPointer
    /// Unconsumed bytes are `storage[start..<end]`.
    private var start = 0
    private var end = 0
    /// Scan state of the head being read (absolute indices into `storage`).
    private var scanned = 0
    private var lineStart = 0
    private var lines = 0
    private var headerBytes = 0
    private var leadingEmptyLines = 0
    private var head: Head?
    private var body: [UInt8] = []
    private var bodyFilled = 0
    private var failure: HTTPError?
    private var continuePending = false

    /// A parser for one connection.
    /// - Parameters:
    ///   - limits: the size limits.
    ///   - peer: the connection's peer address.
    public init(limits: Limits = Limits(), peer: IPAddress = IPAddress(ipv4: 0x7F00_0001)) {
        self.limits = limits
        self.peer = peer
        let capacity = max(64 * 1024, limits.maxHead + 4096)
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    /// True once the header block of the current request is in and its body is not.
    public var isReadingBody: Bool { head != nil }

    /// True when the client sent `Expect: 100-continue` and waits for an interim
    /// `100 Continue` before its body (RFC 9110 section 10.1.1); the body limit has
    /// already been checked. Call `acknowledgeContinue()` once it is written.
    public var wantsContinue: Bool { continuePending && head != nil && end == start }

    /// Records that `100 Continue` was sent.
    public func acknowledgeContinue() {
        continuePending = false
    }

    /// True when bytes of a next request (or of the current one) are buffered.
    public var hasBufferedBytes: Bool { end > start || head != nil }

    /// Lets `read` fill the free part of the buffer (for `read(2)`/`SSL_read`).
    /// - Parameter read: writes up to `buffer.count` bytes and returns how many (0 at EOF).
    /// - Returns: what `read` returned.
    /// - Throws: what `read` throws.
    public func fill(_ read: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows -> Int {
        compact()
        let free = UnsafeMutableRawBufferPointer(rebasing: storage[end...])
        let count = try read(free)
        precondition(count >= 0 && count <= free.count, "read returned more than it was given")
        end += count
        return count
    }

    /// Copies bytes into the buffer, as many as fit (tests and fuzzing).
    /// - Parameter bytes: the bytes that arrived.
    /// - Returns: how many were taken; call `next()` and offer the rest again.
    @discardableResult
    public func append(_ bytes: some Collection<UInt8>) -> Int {
        compact()
        let taken = min(bytes.count, storage.count - end)
        _ = UnsafeMutableRawBufferPointer(rebasing: storage[end..<(end + taken)]).initializeMemory(
            as: UInt8.self, from: bytes.prefix(taken))
        end += taken
        return taken
    }

    /// Moves unconsumed bytes to the front when the tail is short of room.
    private func compact() {
        if start == end {
            start = 0
            end = 0
            scanned = 0
            lineStart = 0
            return
        }
        guard start > 0, storage.count - end < 16 * 1024 else { return }
        let count = end - start
        if count > 0 { memmove(storage.baseAddress!, storage.baseAddress! + start, count) }
        scanned -= start
        lineStart -= start
        end = count
        start = 0
    }

    /// Parses what is buffered.
    /// - Returns: `.needMore`, the next request, or an error (which stays: after an
    ///   error the connection must be closed).
    public func next() -> Result {
        if let failure { return .error(failure) }
        do {
            if head == nil {
                guard let headEnd = try scanHead() else { return .needMore }
                try parseHead(until: headEnd)
            }
            return takeBody()
        } catch {
            failure = error
            return .error(error)
        }
    }

    /// Looks for the empty line that ends the head, checking line limits on the way.
    /// - Returns: the index just past the head, or nil when more bytes are needed.
    private func scanHead() throws(HTTPError) -> Int? {
        let base = storage.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if scanned < start {
            scanned = start
            lineStart = start
        }
        while scanned < end {
            guard let found = memchr(base + scanned, 0x0A, end - scanned) else {
                scanned = end
                break
            }
            let newline = UnsafeMutableRawPointer(found) - UnsafeMutableRawPointer(base)
            scanned = newline + 1
            let length = newline - lineStart
            let empty = length == 0 || (length == 1 && base[lineStart] == 0x0D)
            if empty {
                if lines == 0 {
                    // RFC 9112 section 2.2: empty lines before the request line are ignored.
                    leadingEmptyLines += 1
                    guard leadingEmptyLines <= limits.maxLeadingEmptyLines else {
                        throw HTTPError.bad("empty lines instead of a request")
                    }
                    start = scanned
                    lineStart = scanned
                    continue
                }
                return scanned
            }
            try checkLine(length: length)
            if lines > 0 { headerBytes += length + 1 }
            lines += 1
            lineStart = scanned
        }
        // The unfinished line counts against its limits already, unless it is (the CR
        // of) the empty line that ends the head.
        let partial = end - lineStart
        if partial > 1 || (partial == 1 && base[lineStart] != 0x0D) { try checkLine(length: partial) }
        return nil
    }

    /// Applies the request-line and field limits to a line of `length` bytes (with CR).
    private func checkLine(length: Int) throws(HTTPError) {
        if lines == 0 {
            if length > limits.maxRequestLine + 1 { throw HTTPError(.uriTooLong, "request line too long") }
            return
        }
        if lines > limits.maxHeaderFields { throw HTTPError(.headerFieldsTooLarge, "too many header fields") }
        if length > limits.maxFieldSize + 1 { throw HTTPError(.headerFieldsTooLarge, "header field too long") }
        if headerBytes + length > limits.maxHeaderBlock {
            throw HTTPError(.headerFieldsTooLarge, "header block too large")
        }
    }

    /// Parses the complete head `storage[start..<headEnd]` and consumes it.
    private func parseHead(until headEnd: Int) throws(HTTPError) {
        let bytes = UnsafeRawBufferPointer(rebasing: storage[start..<headEnd])
        start = headEnd
        // The next request's scan starts right after this head.
        scanned = headEnd
        lineStart = headEnd
        lines = 0
        headerBytes = 0
        leadingEmptyLines = 0
        var cursor = 0
        func nextLine() throws(HTTPError) -> UnsafeRawBufferPointer {
            var index = cursor
            while bytes[index] != 0x0A { index += 1 }
            guard index > cursor, bytes[index - 1] == 0x0D else { throw HTTPError.bad("bare LF") }
            let line = UnsafeRawBufferPointer(rebasing: bytes[cursor..<(index - 1)])
            cursor = index + 1
            return line
        }
        var parsed = try parseRequestLine(nextLine())
        var contentLength: Int?
        var hosts = 0
        var transferEncoding = false
        var closeRequested = false
        var keepAliveRequested = false
        var expectation: String?
        while true {
            let line = try nextLine()
            if line.isEmpty { break }
            let (name, key, value) = try parseField(line)
            switch key {
            case "content-length":
                guard contentLength == nil else { throw HTTPError.bad("more than one Content-Length") }
                contentLength = try parseLength(value)
            case "transfer-encoding":
                transferEncoding = true
            case "host":
                hosts += 1
            case "expect":
                expectation = HTTPHeaders.lowercased(value)
            case "connection":
                for token in value.split(separator: ",") {
                    let word = HTTPHeaders.lowercased(String(token.filter { $0 != " " && $0 != "\t" }))
                    if word == "close" { closeRequested = true }
                    if word == "keep-alive" { keepAliveRequested = true }
                }
            default:
                break
            }
            parsed.headers.add(name: name, key: key, value: value)
        }
        // RFC 9112 section 6.1 and section 6.3: we implement no transfer coding, so any
        // Transfer-Encoding (with or without Content-Length) is refused (D1).
        if transferEncoding { throw HTTPError.bad("Transfer-Encoding is not accepted") }
        // RFC 9112 section 3.2: exactly one Host in HTTP/1.1.
        if hosts > 1 || (hosts == 0 && parsed.minorVersion == 1) { throw HTTPError.bad("missing or repeated Host") }
        parsed.keepAlive = parsed.minorVersion == 1 ? !closeRequested : keepAliveRequested && !closeRequested
        let length = contentLength ?? 0
        let limit = limits.bodyLimit?(parsed.method, parsed.path) ?? limits.maxBodySize
        if length > limit { throw HTTPError(.contentTooLarge, "body of \(length) bytes over \(limit)") }
        if let expectation, expectation != "100-continue" {
            throw HTTPError(.expectationFailed, "unknown expectation")
        }
        continuePending = expectation != nil && length > 0 && parsed.minorVersion == 1
        head = parsed
        body = length > 0 ? [UInt8](repeating: 0, count: length) : []
        bodyFilled = 0
    }

    /// `method SP target SP HTTP/1.x` (RFC 9112 section 3).
    private func parseRequestLine(_ line: UnsafeRawBufferPointer) throws(HTTPError) -> Head {
        guard let firstSpace = line.firstIndex(of: 0x20),
            let secondSpace = line[(firstSpace + 1)...].firstIndex(of: 0x20)
        else { throw HTTPError.bad("malformed request line") }
        let methodBytes = UnsafeRawBufferPointer(rebasing: line[0..<firstSpace])
        let targetBytes = UnsafeRawBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace])
        let versionBytes = UnsafeRawBufferPointer(rebasing: line[(secondSpace + 1)...])
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(HTTPRequestParser.isTokenByte) else {
            throw HTTPError.bad("malformed method")
        }
        let minor: Int
        if versionBytes.elementsEqual("HTTP/1.1".utf8) {
            minor = 1
        } else if versionBytes.elementsEqual("HTTP/1.0".utf8) {
            minor = 0
        } else if versionBytes.count == 8, versionBytes.starts(with: "HTTP/".utf8),
            (0x30...0x39).contains(versionBytes[5]), versionBytes[6] == UInt8(ascii: "."),
            (0x30...0x39).contains(versionBytes[7])
        {
            throw HTTPError(.versionNotSupported, "HTTP version not supported")
        } else {
            throw HTTPError.bad("malformed HTTP version")
        }
        let method: HTTPMethod
        if methodBytes.elementsEqual("GET".utf8) {
            method = .get
        } else if methodBytes.elementsEqual("POST".utf8) {
            method = .post
        } else if methodBytes.elementsEqual("HEAD".utf8) {
            method = .head
        } else {
            throw HTTPError(.methodNotAllowed, "method \(String(decoding: methodBytes, as: UTF8.self))")
        }
        let (path, query) = try HTTPTarget.parse(targetBytes)
        return Head(
            method: method, target: String(decoding: targetBytes, as: UTF8.self), path: path, query: query,
            headers: HTTPHeaders(), minorVersion: minor, keepAlive: true)
    }

    /// `field-name ":" OWS field-value OWS` (RFC 9112 section 5, RFC 9110 section 5.5).
    private func parseField(_ line: UnsafeRawBufferPointer) throws(HTTPError) -> (String, String, String) {
        guard line[0] != 0x20 && line[0] != 0x09 else { throw HTTPError.bad("obs-fold continuation line") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            throw HTTPError.bad("header line without a field name")
        }
        var lowercase = false
        for byte in line[0..<colon] {
            guard HTTPRequestParser.isTokenByte(byte) else { throw HTTPError.bad("bad byte in field name") }
            if byte >= 0x41 && byte <= 0x5A { lowercase = true }
        }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd && (line[valueStart] == 0x20 || line[valueStart] == 0x09) { valueStart += 1 }
        while valueEnd > valueStart && (line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09) { valueEnd -= 1 }
        for index in valueStart..<valueEnd {
            let byte = line[index]
            // VCHAR, obs-text, SP and HTAB; every other control byte (CR, NUL, DEL) is refused.
            guard byte >= 0x20 && byte != 0x7F || byte == 0x09 else {
                throw HTTPError.bad("control byte in field value")
            }
        }
        let nameBytes = UnsafeRawBufferPointer(rebasing: line[0..<colon])
        let name = String(decoding: nameBytes, as: UTF8.self)
        let key =
            lowercase
            ? String(decoding: nameBytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self) : name
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)
        return (name, key, value)
    }

    /// `Content-Length = 1*DIGIT` (RFC 9110 section 8.6); a list, sign or blank is refused.
    private func parseLength(_ value: String) throws(HTTPError) -> Int {
        guard !value.isEmpty else { throw HTTPError.bad("empty Content-Length") }
        var length = 0
        for byte in value.utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { throw HTTPError.bad("Content-Length is not a number") }
            // Saturate: anything this long is over every limit (413 below).
            length = length > Int.max / 20 ? Int.max / 2 : length * 10 + Int(byte - 0x30)
        }
        return length
    }

    /// Moves buffered body bytes into the body and returns the request once complete.
    private func takeBody() -> Result {
        guard let parsed = head else { return .needMore }
        let wanted = body.count - bodyFilled
        let available = min(wanted, end - start)
        if available > 0 {
            body.withUnsafeMutableBytes { raw in
                UnsafeMutableRawBufferPointer(rebasing: raw[bodyFilled..<(bodyFilled + available)]).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: storage[start..<(start + available)]))
            }
            bodyFilled += available
            start += available
        }
        guard bodyFilled == body.count else { return .needMore }
        head = nil
        continuePending = false
        let request = HTTPRequest(
            method: parsed.method, target: parsed.target, path: parsed.path, query: parsed.query,
            headers: parsed.headers, body: body, peer: peer, minorVersion: parsed.minorVersion,
            keepAlive: parsed.keepAlive)
        body = []
        bodyFilled = 0
        return .request(request)
    }

    /// RFC 9110 section 5.6.2 tchar.
    @inline(__always) static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
