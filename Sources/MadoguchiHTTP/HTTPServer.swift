// HTTPServer: the HTTP/1.1 listener (plain or TLS). One accept thread, a bounded pool
// of connection threads grown on demand up to `maxConnections`, a reaper thread for
// deadlines (ConnectionTable). SECURITY (madoguchi-security(7) D3, D7, D8): the
// peer filter (the IP allow-list) runs on the peer address right after accept(2),
// before anything else; then the per-peer and global caps (over them: closed at
// once); then SO_RCVTIMEO/SO_SNDTIMEO; the TLS handshake runs on a connection thread
// with a deadline, never on the accept thread. SIGPIPE is ignored, EINTR retried,
// each descriptor closed exactly once by its one owner.

import Dispatch
import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import Synchronization

/// An HTTP/1.1 server: GET, HEAD and POST with Content-Length bodies, keep-alive
/// without pipelined responses, every response through one filter.
public final class HTTPServer: Sendable {
    /// Answers one request; the Web module puts its router behind it. Must not block
    /// for long: it holds a connection thread.
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse
    /// Decides from the TCP peer address alone whether a connection is served.
    public typealias PeerFilter = @Sendable (IPAddress) -> Bool
    /// Every response passes through this before it is written, parser refusals
    /// (request nil) included: the place for the security header set.
    public typealias ResponseFilter = @Sendable (HTTPRequest?, HTTPResponse) -> HTTPResponse

    /// An accepted connection waiting for a connection thread.
    private struct Accepted {
        var fd: Int32
        var peer: IPAddress
    }

    private struct State {
        var queue: [Accepted] = []
        var active = 0
        var threads = 0
        var peers: [IPAddress: Int] = [:]
        var started = false
        var stopping = false
    }

    /// The limits and deadlines in force.
    public let configuration: Configuration
    /// The port the listener is bound to (the chosen one when `listen` said port 0).
    public let port: UInt16
    private let listener: Int32
    private let tls: TLSServerContext?
    private let handler: Handler
    private let peerFilter: PeerFilter
    private let responseFilter: ResponseFilter
    private let log: Log?
    private let state = Mutex(State())
    /// `state.stopping`, readable without the lock (checked after every request).
    private let stopping = Atomic<Bool>(false)
    private let wakeup = DispatchSemaphore(value: 0)
    private let table: ConnectionTable
    private let running = DispatchGroup()

    /// Binds the listening socket (nothing is accepted before `start()`).
    /// - Parameters:
    ///   - configuration: address, limits and deadlines.
    ///   - tls: the server context for HTTPS; nil for plain HTTP (the redirect listener, tests).
    ///   - log: where refused connections and failed handshakes are logged (nil: nowhere).
    ///   - peerFilter: called with each peer address before anything else; false closes
    ///     the connection at once.
    ///   - responseFilter: every response passes through it.
    ///   - handler: answers each request.
    /// - Throws: `NetworkError.badAddress` for a `listen` that is not `IP:port`,
    ///   `NetworkError.io` when the socket cannot be bound.
    public init(
        configuration: Configuration, tls: TLSServerContext?, log: Log? = nil,
        peerFilter: @escaping PeerFilter = { _ in true },
        responseFilter: @escaping ResponseFilter = { $1 }, handler: @escaping Handler
    ) throws {
        signal(SIGPIPE, SIG_IGN)
        self.configuration = configuration
        self.tls = tls
        self.log = log
        self.peerFilter = peerFilter
        self.responseFilter = responseFilter
        self.handler = handler
        table = ConnectionTable(capacity: max(1, configuration.maxConnections))
        (listener, port) = try HTTPServer.bind(configuration.listen)
    }

    deinit {
        Glibc.close(listener)
    }

    /// Starts the accept, reaper and (on demand) connection threads.
    public func start() {
        let first = state.withLock { state in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        spawn("http-accept") { self.acceptLoop() }
        spawn("http-reaper") { self.table.runReaper() }
    }

    /// Stops accepting, shuts every open connection down and waits for all threads.
    /// Call it from outside the server (never from a handler: it waits for the
    /// handler's own thread).
    public func stop() {
        let threads = state.withLock { state in
            state.stopping = true
            return state.threads
        }
        stopping.store(true, ordering: .releasing)
        shutdown(listener, Int32(SHUT_RDWR))
        table.stop()
        for _ in 0..<(threads + 1) { wakeup.signal() }
        running.wait()
    }

    /// Runs `body` on a new thread counted in `running`.
    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        running.enter()
        let thread = Thread {
            body()
            self.running.leave()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// A `301` to `baseURL` plus the request's (validated, origin-form) target, for the
    /// plain-HTTP listener. The Host header is never used (madoguchi-security(7) D10).
    /// - Parameter baseURL: the configured `https://host[:port]` (a trailing `/` is dropped).
    /// - Returns: the handler.
    public static func redirectHandler(to baseURL: String) -> Handler {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return { request in HTTPResponse.redirect(to: base + request.target, status: .movedPermanently) }
    }

    // MARK: accepting

    private func acceptLoop() {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept(listener, $0, &length)
                }
            }
            // accept4(2) is not visible without _GNU_SOURCE; nothing execs in this
            // process, FD_CLOEXEC is defence in depth.
            if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            if fd < 0 {
                let code = errno
                if state.withLock({ $0.stopping }) { return }
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    log?.warning("accept: \(String(cString: strerror(code)))")
                    usleep(10_000)
                }
                continue
            }
            guard let (peer, _) = IPAddress.from(storage) else {
                Glibc.close(fd)
                continue
            }
            // The allow-list decides on the socket's peer address before any other work.
            guard peerFilter(peer) else {
                Glibc.close(fd)
                log?.warning("connection from \(peer) refused: not in ip_allow")
                continue
            }
            enum Admission { case admitted(spawn: Bool), full, peerFull, stopping }
            let admission = state.withLock { state -> Admission in
                if state.stopping { return .stopping }
                if state.active >= configuration.maxConnections { return .full }
                let count = state.peers[peer, default: 0]
                if count >= configuration.maxConnectionsPerPeer { return .peerFull }
                state.peers[peer] = count + 1
                state.active += 1
                state.queue.append(Accepted(fd: fd, peer: peer))
                let spawn = state.threads < state.active
                if spawn { state.threads += 1 }
                return .admitted(spawn: spawn)
            }
            switch admission {
            case .stopping:
                Glibc.close(fd)
                return
            case .full:
                Glibc.close(fd)
                log?.warning("connection from \(peer) closed: \(configuration.maxConnections) connections open")
            case .peerFull:
                Glibc.close(fd)
                log?.warning(
                    "connection from \(peer) closed: \(configuration.maxConnectionsPerPeer) connections from it open")
            case .admitted(let spawn):
                // Timeouts on the accepted socket before any read, the handshake included.
                HTTPServer.setTimeouts(fd, configuration.ioTimeout)
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                if spawn { self.spawn("http-connection") { self.workerLoop() } }
                wakeup.signal()
            }
        }
    }

    private static func setTimeouts(_ fd: Int32, _ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, size)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, size)
    }

    private func workerLoop() {
        while true {
            wakeup.wait()
            let next = state.withLock { state -> Accepted?? in
                if state.stopping { return .some(nil) }
                return state.queue.isEmpty ? nil : state.queue.removeFirst()
            }
            guard let next else { continue }
            guard let accepted = next else { break }
            serve(accepted)
        }
        // Connections still queued at stop are closed by the last thread out.
        let left = state.withLock { state -> [Accepted] in
            defer { state.queue.removeAll() }
            return state.queue
        }
        for accepted in left { Glibc.close(accepted.fd) }
    }

    /// Serves one connection until it closes; closes the descriptor exactly once.
    private func serve(_ accepted: Accepted) {
        let socket = SocketConnection(fd: accepted.fd, peer: accepted.peer.description)
        let start = Monotonic.now()
        let connectionDeadline = start + configuration.connectionTimeout
        guard let slot = table.register(accepted.fd, deadline: start + configuration.handshakeTimeout) else {
            release(accepted.peer)
            socket.close()
            return
        }
        var tlsConnection: TLSConnection?
        defer {
            // Forget the slot first: after close the number may be reused at once.
            table.release(slot)
            // Count the connection as gone before the client sees it close, so a client
            // that reconnects at once is not refused by its own closing connection.
            release(accepted.peer)
            tlsConnection?.close()
            socket.close()
        }
        let stream: any ByteStream
        if let tls {
            do {
                tlsConnection = try TLSConnection.accept(
                    over: socket, context: tls,
                    deadline: min(start + configuration.handshakeTimeout, connectionDeadline))
                stream = tlsConnection!
            } catch {
                log?.info("TLS handshake with \(accepted.peer) failed: \(error)")
                return
            }
        } else {
            stream = socket
        }
        let connection = HTTPConnection(
            stream: stream, fd: accepted.fd, slot: slot, table: table, peer: accepted.peer,
            connectionDeadline: connectionDeadline, server: self)
        connection.run()
    }

    /// Takes a finished connection off the global and per-peer counts.
    private func release(_ peer: IPAddress) {
        state.withLock { state in
            state.active -= 1
            let count = state.peers[peer, default: 1] - 1
            state.peers[peer] = count > 0 ? count : nil
        }
    }

    /// Runs the handler and the response filter for one request.
    func respond(to request: HTTPRequest) -> HTTPResponse {
        responseFilter(request, handler(request))
    }

    /// The filtered answer to a refused request.
    func respond(to error: HTTPError) -> HTTPResponse {
        responseFilter(nil, HTTPResponse.error(error))
    }

    /// The filtered 500 sent when the writer refused a response.
    func internalError(for request: HTTPRequest?) -> HTTPResponse {
        responseFilter(request, HTTPResponse.text("500 Internal Server Error\n", status: .internalServerError))
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    var logger: Log? { log }

    // MARK: binding

    /// Creates, binds and listens on `address`.
    private static func bind(_ address: String) throws -> (Int32, UInt16) {
        guard let (host, port) = splitListen(address), let ip = IPAddress(host) else {
            throw NetworkError.badAddress(address)
        }
        let family = ip.isIPv4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NetworkError.io("socket", code: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let rc = ip.withSocketAddress(port: port) { Glibc.bind(fd, $0, $1) }
        guard rc == 0, listen(fd, 1024) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw NetworkError.io("bind \(address)", code: code)
        }
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, IPAddress.from(bound)?.1 ?? port)
    }

    /// `host:port` or `[v6]:port`, port 0 allowed.
    static func splitListen(_ address: String) -> (String, UInt16)? {
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]"), address[address.index(after: close)...].hasPrefix(":"),
                let port = UInt16(address[address.index(close, offsetBy: 2)...])
            else { return nil }
            return (String(address[address.index(after: address.startIndex)..<close]), port)
        }
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...])
        else { return nil }
        return (String(address[..<colon]), port)
    }
}
