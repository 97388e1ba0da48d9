// SocketConnection: a blocking stream socket (TCP or Unix) with a connect timeout
// and per-read/per-write timeouts (SO_RCVTIMEO/SO_SNDTIMEO), EINTR retried, and
// exactly one close. The building block for POP3/IMAP, clamd, SMTP and TLS.

import Glibc

/// A connected stream socket; closed exactly once, in `deinit` or `close()`.
public final class SocketConnection: ByteStream {
    /// The file descriptor (valid until `close()`).
    public private(set) var fd: Int32
    /// A printable peer description for messages.
    public let peer: String

    /// Wraps an already-connected descriptor (e.g. from accept(2)).
    public init(fd: Int32, peer: String) {
        self.fd = fd
        self.peer = peer
    }

    /// Connects to `host:port` (IPv4, IPv6 in brackets or not, or a name) or to a
    /// Unix socket path (anything starting with `/`).
    /// - Parameters:
    ///   - address: `host:port`, `[v6]:port`, or `/path/to/socket`.
    ///   - timeout: seconds for the connect and then for each read and write.
    /// - Throws: `NetworkError`.
    public static func connect(to address: String, timeout: Double) throws -> SocketConnection {
        if address.hasPrefix("/") { return try connectUnix(path: address, timeout: timeout) }
        guard let (host, port) = splitHostPort(address) else { throw NetworkError.badAddress(address) }
        return try connectTCP(host: host, port: port, timeout: timeout)
    }

    /// Splits `host:port` or `[v6]:port`.
    public static func splitHostPort(_ address: String) -> (String, UInt16)? {
        var host: Substring
        var portText: Substring
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { return nil }
            host = address[address.index(after: address.startIndex)..<close]
            let rest = address[address.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = address.lastIndex(of: ":") else { return nil }
            host = address[..<colon]
            portText = address[address.index(after: colon)...]
        }
        guard !host.isEmpty, let port = UInt16(portText), port > 0 else { return nil }
        return (String(host), port)
    }

    /// Connects over TCP.
    /// - Throws: `NetworkError`.
    public static func connectTCP(
        host: String, port: UInt16, timeout: Double, lookup: @escaping HostResolver.Lookup = HostResolver.systemLookup
    ) throws -> SocketConnection {
        // Name resolution counts against the same deadline as the connect.
        let start = Monotonic.now()
        let addresses = try HostResolver.resolve(host, port: port, timeout: timeout, lookup: lookup)
        let remaining = max(0.001, timeout - (Monotonic.now() - start))
        var lastCode: Int32 = ECONNREFUSED
        for info in addresses {
            let fd = socket(info.family, info.socketType | Int32(SOCK_CLOEXEC.rawValue), info.socketProtocol)
            if fd < 0 {
                lastCode = errno
                continue
            }
            let code = info.address.withUnsafeBytes { raw in
                connectWithTimeout(
                    fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count),
                    timeout: remaining)
            }
            if code == 0 {
                let connection = SocketConnection(fd: fd, peer: "\(host):\(port)")
                try connection.setTimeouts(timeout)
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return connection
            }
            Glibc.close(fd)
            lastCode = code
        }
        if lastCode == ETIMEDOUT { throw NetworkError.timedOut("connect to \(host):\(port)") }
        throw NetworkError.connectFailed(address: "\(host):\(port)", code: lastCode)
    }

    /// Connects to a Unix stream socket.
    /// - Throws: `NetworkError`.
    public static func connectUnix(path: String, timeout: Double) throws -> SocketConnection {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw NetworkError.badAddress(path) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NetworkError.io("socket", code: errno) }
        let code = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connectWithTimeout(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size), timeout: timeout)
            }
        }
        guard code == 0 else {
            Glibc.close(fd)
            if code == ETIMEDOUT { throw NetworkError.timedOut("connect to \(path)") }
            throw NetworkError.connectFailed(address: path, code: code)
        }
        let connection = SocketConnection(fd: fd, peer: path)
        try connection.setTimeouts(timeout)
        return connection
    }

    /// Non-blocking connect, poll for `timeout`, back to blocking. Returns 0 or an errno.
    private static func connectWithTimeout(
        _ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t, timeout: Double
    ) -> Int32 {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        if Glibc.connect(fd, address, length) == 0 { return 0 }
        guard errno == EINPROGRESS || errno == EINTR else { return errno }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let deadline = Monotonic.now() + timeout
        while true {
            let left = deadline - Monotonic.now()
            if left <= 0 { return ETIMEDOUT }
            let rc = poll(&pfd, 1, Int32(min(left * 1000, Double(Int32.max))) + 1)
            if rc < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if rc == 0 { return ETIMEDOUT }
            break
        }
        var error: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
        return error
    }

    /// Sets the per-read and per-write timeouts.
    /// - Throws: `NetworkError.io`.
    public func setTimeouts(_ seconds: Double) throws {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        let size = socklen_t(MemoryLayout<timeval>.size)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, size) == 0,
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, size) == 0
        else { throw NetworkError.io("setsockopt", code: errno) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n >= 0 { return n }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw NetworkError.timedOut("read from \(peer)")
            case ECONNRESET: throw NetworkError.closed("read from \(peer)")
            default: throw NetworkError.io("read from \(peer)", code: errno)
            }
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try SocketConnection.sendAll(bytes, on: fd, peer: peer)
    }

    /// Sends all bytes on a socket descriptor this object may not own: MSG_NOSIGNAL,
    /// EINTR retried, short sends continued.
    /// - Throws: `NetworkError` (`timedOut` after SO_SNDTIMEO, `closed` for EPIPE/ECONNRESET).
    public static func sendAll(_ bytes: UnsafeRawBufferPointer, on fd: Int32, peer: String) throws {
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = send(fd, base, left, Int32(MSG_NOSIGNAL))
            if n < 0 {
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK: throw NetworkError.timedOut("write to \(peer)")
                case EPIPE, ECONNRESET: throw NetworkError.closed("write to \(peer)")
                default: throw NetworkError.io("write to \(peer)", code: errno)
                }
            }
            left -= n
            base += n
        }
    }

    /// Closes the socket now (idempotent).
    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    deinit {
        close()
    }
}
