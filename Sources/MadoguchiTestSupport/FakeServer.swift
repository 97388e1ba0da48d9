// FakeServer: an in-process loopback TCP server that plays a scripted, possibly
// hostile POP3/IMAP peer (huge literals, slow drips, injected protocol text) that
// a real server will not produce, and may switch a connection to TLS after a
// STARTTLS go-ahead. It records every byte the client sent so tests can prove
// credentials were never transmitted.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import Synchronization

/// A scripted loopback server on a free port, serving a fixed number of connections
/// one after another on a background thread.
public final class FakeServer: Sendable {

    /// The loopback port clients connect to.
    public let port: UInt16
    private let listener: Int32
    private let receivedBytes = Mutex<[UInt8]>([])
    private let outcome = ScriptOutcome()

    /// One accepted client connection, as seen by the script.
    public final class Peer {
        private let fd: Int32
        private let server: FakeServer
        private var buffer: [UInt8] = []
        private var tls: TLSConnection?

        init(fd: Int32, server: FakeServer) {
            self.fd = fd
            self.server = server
        }

        /// Sends text as is (include the CRLFs).
        /// - Throws: `TestToolError` when the client has gone.
        public func send(_ text: String) throws { try send(Array(text.utf8)) }

        /// Sends bytes.
        /// - Throws: `NetworkError` when the client has gone.
        public func send(_ bytes: [UInt8]) throws {
            if let tls {
                try tls.write(bytes)
                return
            }
            try bytes.withUnsafeBytes { try SocketConnection.sendAll($0, on: fd, peer: "fake-server client") }
        }

        /// Completes a TLS server handshake with `certificate` (after a STARTTLS
        /// go-ahead); later sends and reads go over TLS. Lines the client sent before
        /// and that were not read yet are dropped.
        /// - Throws: `TLSError`, `NetworkError` when the handshake fails.
        public func startTLS(_ certificate: CertificatePair) throws {
            let context = try TLSServerContext(certificateFile: certificate.certificate, keyFile: certificate.key)
            let socket = SocketConnection(fd: dup(fd), peer: "fake-server client")
            try socket.setTimeouts(10)
            tls = try TLSConnection.accept(over: socket, context: context, deadline: Monotonic.now() + 10)
            buffer = []
        }

        /// Reads what the client sent next (over TLS once `startTLS` ran).
        private func receive(_ chunk: inout [UInt8]) throws -> Int {
            if let tls { return try chunk.withUnsafeMutableBytes { try tls.read(into: $0) } }
            return chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        }

        /// Reads one line from the client (CRLF stripped), or nil at end of stream.
        /// - Throws: `TestToolError` on timeout.
        public func readLine() throws -> String? {
            while true {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    var line = Array(buffer[..<newline])
                    buffer.removeFirst(newline + 1)
                    if line.last == 0x0D { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = try receive(&chunk)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw TestToolError("read from client failed (errno \(errno))") }
                if n == 0 { return nil }
                server.record(Array(chunk[..<n]))
                buffer += chunk[..<n]
            }
        }

        /// Whether `count` more complete lines from the client are there within `timeout`
        /// seconds (lines already received count), for checking that a client pipelines.
        /// - Throws: `TestToolError` when the read fails.
        public func hasLines(_ count: Int, within timeout: Double) throws -> Bool {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while true {
                if buffer.lazy.filter({ $0 == 0x0A }).count >= count { return true }
                let left = deadline.timeIntervalSinceNow
                guard left > 0 else { return false }
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, Int32(left * 1000) + 1)
                if ready < 0 && errno == EINTR { continue }
                guard ready > 0 else { return false }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw TestToolError("read from client failed (errno \(errno))") }
                if n == 0 { return false }
                server.record(Array(chunk[..<n]))
                buffer += chunk[..<n]
            }
        }

        /// Reads a command line and returns its tag and the rest (IMAP), or nil at end of stream.
        /// - Throws: `TestToolError`.
        public func readCommand() throws -> (tag: String, command: String)? {
            guard let line = try readLine() else { return nil }
            guard let space = line.firstIndex(of: " ") else { return (line, "") }
            return (String(line[..<space]), String(line[line.index(after: space)...]))
        }

        /// Forwards bytes both ways between the client and `127.0.0.1:port` (e.g. an
        /// `openssl s_server` taking over after STARTTLS) until either side closes or
        /// `seconds` pass. Bytes the client already sent are forwarded first.
        /// - Throws: `TestToolError` when the upstream cannot be reached.
        public func relay(toPort port: UInt16, seconds: Double) throws {
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard upstream >= 0 else { throw TestToolError("socket failed") }
            defer { Glibc.close(upstream) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = port.bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            guard connected else { throw TestToolError("relay connect to \(port) failed") }
            if !buffer.isEmpty {
                _ = buffer.withUnsafeBytes { Glibc.send(upstream, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                buffer = []
            }
            let deadline = Date(timeIntervalSinceNow: seconds)
            var fds = [
                pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: upstream, events: Int16(POLLIN), revents: 0),
            ]
            var chunk = [UInt8](repeating: 0, count: 16384)
            while Date() < deadline {
                guard poll(&fds, 2, 100) >= 0 || errno == EINTR else { return }
                for (index, entry) in fds.enumerated() where entry.revents != 0 {
                    let target = index == 0 ? upstream : fd
                    let n = chunk.withUnsafeMutableBytes { recv(entry.fd, $0.baseAddress, $0.count, 0) }
                    if n <= 0 { return }
                    if index == 0 { server.record(Array(chunk[..<n])) }
                    _ = chunk.withUnsafeBytes { Glibc.send(target, $0.baseAddress, n, Int32(MSG_NOSIGNAL)) }
                }
            }
        }
    }

    /// Starts listening on 127.0.0.1 and serves `connections` clients in turn.
    /// - Parameters:
    ///   - connections: how many clients to accept before stopping.
    ///   - script: what to do with each client (`index` counts from 0).
    /// - Throws: `TestToolError` when the socket cannot be set up.
    public init(
        connections: Int = 1, script: @escaping @Sendable (_ peer: Peer, _ index: Int) throws -> Void
    ) throws {
        let (fd, port) = try Self.listen()
        listener = fd
        self.port = port
        let thread = Thread { [self] in
            self.serve(connections: connections, script: script)
        }
        thread.start()
    }

    /// Every byte the clients sent, as text (lossy UTF-8).
    public var received: String {
        receivedBytes.withLock { String(decoding: $0, as: UTF8.self) }
    }

    /// Errors thrown by the script (a hostile script often ends with "client gone").
    public var scriptErrors: [String] { outcome.scriptErrors }

    /// Waits until all connections were served or `timeout` seconds passed.
    /// - Returns: true when finished.
    @discardableResult
    public func waitUntilDone(timeout: Double = 20) -> Bool {
        outcome.waitUntilDone(timeout: timeout)
    }

    fileprivate func record(_ bytes: [UInt8]) {
        receivedBytes.withLock { $0 += bytes }
    }

    private func serve(connections: Int, script: (Peer, Int) throws -> Void) {
        defer {
            Glibc.close(listener)
            outcome.finish()
        }
        for index in 0..<connections {
            var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 30_000) == 1 else { return }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            var tv = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            do {
                try script(Peer(fd: client, server: self), index)
            } catch {
                outcome.record(error)
            }
            Glibc.close(client)
        }
    }

    /// Opens a listening socket on 127.0.0.1 with a kernel-chosen port.
    private static func listen() throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestToolError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && Glibc.listen(fd, 8) == 0
                    && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(fd)
            throw TestToolError("bind/listen on 127.0.0.1 failed (errno \(errno))")
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// A loopback port that was free a moment ago (for external servers like Dovecot).
    /// - Throws: `TestToolError`.
    public static func freePort() throws -> UInt16 {
        let (fd, port) = try listen()
        Glibc.close(fd)
        return port
    }
}
