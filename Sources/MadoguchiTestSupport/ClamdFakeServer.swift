// ClamdFakeServer: an in-process peer on a private Unix socket that speaks just
// enough of clamd's protocol to misbehave in ways a real clamd will not (ERROR,
// garbage, silence, a slow drip, an early reply mid-stream). It counts the stream
// bytes it received so tests can prove what the client did or did not send.

import Foundation
import Glibc
import MadoguchiCore
import Synchronization

/// A scripted fake clamd serving connections one after another on a background thread.
public final class ClamdFakeServer: Sendable {

    /// The Unix socket path (a `clamd_address`).
    public let address: String
    private let listener: Int32
    private let streamBytes = Atomic<Int>(0)
    private let connections = Atomic<Int>(0)
    private let outcome = ScriptOutcome()
    private let stopping = Atomic<Bool>(false)

    /// One accepted client connection, as seen by the script.
    public final class Peer {
        private let fd: Int32
        private let server: ClamdFakeServer
        private var buffer: [UInt8] = []

        init(fd: Int32, server: ClamdFakeServer) {
            self.fd = fd
            self.server = server
        }

        /// Reads a NUL-terminated command such as `zINSTREAM`, or nil at end of stream.
        /// - Throws: `ClamdHarnessError` on a read failure.
        public func readCommand() throws -> String? {
            while true {
                if let nul = buffer.firstIndex(of: 0) {
                    let command = String(decoding: buffer[..<nul], as: UTF8.self)
                    buffer.removeFirst(nul + 1)
                    return command
                }
                if try fill() == 0 { return nil }
            }
        }

        /// Reads INSTREAM chunks up to the zero-length terminator, or until more than
        /// `limit` payload bytes arrived (as clamd's StreamMaxLength does).
        /// - Returns: the payload, the largest chunk length, and whether the terminator was seen.
        /// - Throws: `ClamdHarnessError` when the client closes mid-stream.
        @discardableResult
        public func readStream(limit: Int = .max) throws -> (payload: [UInt8], largestChunk: Int, complete: Bool) {
            var payload: [UInt8] = []
            var largest = 0
            while true {
                let header = try readExactly(4)
                let length = header.reduce(0) { $0 << 8 | Int($1) }
                if length == 0 { return (payload, largest, true) }
                payload += try readExactly(length)
                largest = max(largest, length)
                server.countStream(length)
                if payload.count > limit { return (payload, largest, false) }
            }
        }

        /// Sends bytes as they are (include the NUL yourself).
        /// - Throws: `NetworkError` when the client has gone.
        public func send(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try SocketConnection.sendAll($0, on: fd, peer: "fake-server client") }
        }

        /// Sends text as UTF-8 (include the NUL yourself).
        /// - Throws: `ClamdHarnessError` when the client has gone.
        public func send(_ text: String) throws { try send(Array(text.utf8)) }

        private func readExactly(_ count: Int) throws -> [UInt8] {
            while buffer.count < count {
                if try fill() == 0 { throw ClamdHarnessError("client closed mid-stream") }
            }
            defer { buffer.removeFirst(count) }
            return Array(buffer[..<count])
        }

        private func fill() throws -> Int {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw ClamdHarnessError("read from client failed (errno \(errno))") }
                buffer += chunk[..<n]
                return n
            }
        }
    }

    /// Listens on `directory/fake-clamd.sock` and serves `connections` clients in turn.
    /// - Parameters:
    ///   - directory: the test's temporary directory.
    ///   - connections: how many clients to accept before stopping.
    ///   - script: what to do with each client; the connection is closed when it returns.
    /// - Throws: `ClamdHarnessError` when the socket cannot be set up.
    public init(
        in directory: TemporaryDirectory, connections: Int = 1,
        script: @escaping @Sendable (_ peer: Peer) throws -> Void
    ) throws {
        address = directory.file("fake-clamd.sock")
        listener = try Self.listen(at: address)
        let thread = Thread { [self] in
            self.serve(connections: connections, script: script)
        }
        thread.start()
    }

    /// A script that reads one command (and, for `zINSTREAM`, the whole stream), then runs `then`.
    public static func afterCommand(_ then: @escaping @Sendable (Peer) throws -> Void)
        -> @Sendable (Peer) throws
        -> Void
    {
        { peer in
            guard let command = try peer.readCommand() else { return }
            if command == "zINSTREAM" { try peer.readStream() }
            try then(peer)
        }
    }

    /// A script answering `zINSTREAM` (after the whole stream) and `zPING` with `reply`.
    public static func replying(_ reply: [UInt8]) -> @Sendable (Peer) throws -> Void {
        afterCommand { try $0.send(reply) }
    }

    /// INSTREAM payload bytes received over all connections.
    public var receivedStreamBytes: Int { streamBytes.load(ordering: .sequentiallyConsistent) }

    /// How many clients connected.
    public var acceptedConnections: Int { connections.load(ordering: .sequentiallyConsistent) }

    /// Errors thrown by the script (a hostile script often ends with "client gone").
    public var scriptErrors: [String] { outcome.scriptErrors }

    /// Waits until all connections were served (or `stop()` was called) or `timeout` seconds passed.
    /// - Returns: true when finished.
    @discardableResult
    public func waitUntilDone(timeout: Double = 20) -> Bool {
        outcome.waitUntilDone(timeout: timeout)
    }

    /// Stops accepting; the serving thread ends within about 100 ms.
    public func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
    }

    deinit {
        stop()
    }

    fileprivate func countStream(_ count: Int) {
        streamBytes.add(count, ordering: .sequentiallyConsistent)
    }

    private var shouldStop: Bool { stopping.load(ordering: .sequentiallyConsistent) }

    private func serve(connections limit: Int, script: (Peer) throws -> Void) {
        defer {
            Glibc.close(listener)
            unlink(address)
            outcome.finish()
        }
        var served = 0
        let deadline = Date(timeIntervalSinceNow: 60)
        while served < limit, !shouldStop, Date() < deadline {
            var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) == 1 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            served += 1
            connections.add(1, ordering: .sequentiallyConsistent)
            var tv = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            do {
                try script(Peer(fd: client, server: self))
            } catch {
                outcome.record(error)
            }
            Glibc.close(client)
        }
    }

    /// Opens a listening Unix socket at `path`.
    private static func listen(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClamdHarnessError("socket failed (errno \(errno))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Glibc.close(fd)
            throw ClamdHarnessError("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 && Glibc.listen(fd, 8) == 0
            }
        }
        guard bound else {
            let code = errno
            Glibc.close(fd)
            throw ClamdHarnessError("bind/listen on \(path) failed (errno \(code))")
        }
        return fd
    }
}
