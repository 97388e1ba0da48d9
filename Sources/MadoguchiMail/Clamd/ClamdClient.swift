// ClamdClient: scans one message with clamd's zINSTREAM command over its Unix or
// TCP socket, under one deadline for the whole exchange. SECURITY: fails closed;
// a refused, broken, slow, oversize or unparseable exchange throws ScanError
// (transient), and only clamd's exact "stream: OK" is a clean verdict.

import MadoguchiCore

/// A client of clamd's `z`-prefixed commands (`zINSTREAM`, `zPING`, `zVERSION`).
/// Each call opens its own connection, so one value may be used from any thread.
public struct ClamdClient: Sendable {
    /// clamd's socket: a Unix socket path (starting with `/`) or `host:port`.
    public let address: String
    /// Seconds one whole exchange (connect, send, verdict) may take.
    public let timeout: Double
    /// Largest message in bytes that is sent; larger ones throw before connecting.
    public let maxStreamSize: Int
    /// Bytes per INSTREAM chunk (clamd accepts any size up to its StreamMaxLength).
    public static let chunkSize = 64 * 1024

    /// Creates a client.
    /// - Parameters:
    ///   - address: a Unix socket path (`/run/clamav/clamd.ctl`) or `host:port` (`127.0.0.1:3310`).
    ///   - timeout: seconds for the whole exchange; it bounds a slow or silent clamd.
    ///   - maxStreamSize: largest message in bytes that is sent to clamd.
    public init(address: String, timeout: Double, maxStreamSize: Int) {
        self.address = address
        self.timeout = timeout
        self.maxStreamSize = maxStreamSize
    }

    /// The client configured by `clamd_address`, `clamd_timeout` and
    /// `clamd_max_stream_size` (0 there means `mail_max_message_size`).
    public init(_ configuration: Configuration) {
        let explicitSize = configuration[.clamdMaxStreamSize]
        let size = explicitSize > 0 ? explicitSize : configuration[.mailMaxMessageSize]
        self.init(
            address: configuration[.clamdAddress],
            timeout: configuration[.clamdTimeout],
            maxStreamSize: Int(clamping: size))
    }

    /// Scans `bytes` (a whole raw message) with `zINSTREAM`.
    /// - Parameter bytes: the message; at most `maxStreamSize` bytes.
    /// - Returns: `.clean` only when clamd answered exactly `stream: OK`, else `.infected`.
    /// - Throws: `ScanError` when there is no verdict: too large, clamd unreachable, reset,
    ///   timed out, a size-limit or `ERROR` reply, or a reply that is not clamd's protocol.
    public func scan(_ bytes: UnsafeRawBufferPointer) throws -> ScanVerdict {
        guard bytes.count <= maxStreamSize else {
            throw ScanError.streamTooLarge(size: bytes.count, limit: maxStreamSize)
        }
        return try exchange { connection, deadline in
            do {
                try send(Array("zINSTREAM\0".utf8), on: connection, before: deadline)
                try sendChunks(bytes, on: connection, before: deadline)
            } catch let failure as NetworkError {
                throw earlyReplyError(on: connection, before: deadline, otherwise: failure)
            }
            return try ClamdReply.verdict(try readReply(on: connection, before: deadline))
        }
    }

    /// Scans a message held in an array; see `scan(_:)` for the rules.
    /// - Throws: `ScanError`.
    public func scan(_ bytes: [UInt8]) throws -> ScanVerdict {
        try bytes.withUnsafeBytes { try scan($0) }
    }

    /// Checks that clamd answers `zPING` with `PONG`.
    /// - Throws: `ScanError` when it does not.
    public func ping() throws {
        try exchange { connection, deadline in
            try send(Array("zPING\0".utf8), on: connection, before: deadline)
            try ClamdReply.pong(try readReply(on: connection, before: deadline))
        }
    }

    /// Asks clamd for its version and signature database date (`zVERSION`).
    /// - Returns: e.g. `ClamAV 1.4.6/27470/Thu Nov 28 09:30:00 2026`.
    /// - Throws: `ScanError`.
    public func version() throws -> String {
        try exchange { connection, deadline in
            try send(Array("zVERSION\0".utf8), on: connection, before: deadline)
            return try ClamdReply.version(try readReply(on: connection, before: deadline))
        }
    }

    /// Connects, runs `body` before the deadline, closes; socket failures become `ScanError.network`.
    private func exchange<T>(_ body: (SocketConnection, Double) throws -> T) throws -> T {
        let deadline = Monotonic.now() + timeout
        do {
            let connection = try SocketConnection.connect(to: address, timeout: timeout)
            defer { connection.close() }
            return try body(connection, deadline)
        } catch let failure as NetworkError {
            throw ScanError.network(failure)
        }
    }

    /// Sends the message as chunks (4-byte big-endian length, then the bytes) and the
    /// zero-length terminator.
    private func sendChunks(_ bytes: UnsafeRawBufferPointer, on connection: SocketConnection, before deadline: Double)
        throws
    {
        var frame = [UInt8](repeating: 0, count: 4 + min(Self.chunkSize, bytes.count))
        var offset = 0
        while offset < bytes.count {
            let count = min(Self.chunkSize, bytes.count - offset)
            let length = UInt32(count).bigEndian
            frame.withUnsafeMutableBytes { out in
                withUnsafeBytes(of: length) { out.copyMemory(from: $0) }
                let chunk = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
                UnsafeMutableRawBufferPointer(rebasing: out[4..<(4 + count)]).copyMemory(from: chunk)
            }
            try frame.withUnsafeBytes { try send($0[0..<(4 + count)], on: connection, before: deadline) }
            offset += count
        }
        try send([0, 0, 0, 0], on: connection, before: deadline)
    }

    /// After a failed send: clamd hangs up mid-stream when the stream passes its
    /// StreamMaxLength, and its reply says why. Any reply before the end of the stream,
    /// even `stream: OK`, is an error; without a reply the send failure is returned.
    private func earlyReplyError(on connection: SocketConnection, before deadline: Double, otherwise: NetworkError)
        -> ScanError
    {
        let reply: [UInt8]
        do {
            reply = try readReply(on: connection, before: min(deadline, Monotonic.now() + 2))
        } catch {
            return .network(otherwise)
        }
        do {
            let verdict = try ClamdReply.verdict(reply)
            return .badReply("verdict \(verdict) before the end of the stream")
        } catch let error as ScanError {
            return error
        } catch {
            return .network(otherwise)
        }
    }

    private func send(_ bytes: [UInt8], on connection: SocketConnection, before deadline: Double) throws {
        try bytes.withUnsafeBytes { try send($0[...], on: connection, before: deadline) }
    }

    private func send(_ bytes: Slice<UnsafeRawBufferPointer>, on connection: SocketConnection, before deadline: Double)
        throws
    {
        try arm(connection, deadline, "write to \(address)")
        try connection.write(UnsafeRawBufferPointer(rebasing: bytes))
    }

    /// Reads up to the NUL that ends a `z` reply; bytes after it are ignored.
    /// - Throws: `NetworkError` on timeout or reset, `ScanError.badReply` when the
    ///   connection closes first or the reply is too long.
    private func readReply(on connection: SocketConnection, before deadline: Double) throws -> [UInt8] {
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while true {
            try arm(connection, deadline, "reply from \(address)")
            let count = try chunk.withUnsafeMutableBytes { try connection.read(into: $0) }
            if count == 0 {
                if reply.isEmpty { throw ScanError.badReply("connection closed without a reply") }
                throw ScanError.badReply("reply not terminated by NUL: " + String(decoding: reply, as: UTF8.self))
            }
            if let end = chunk[..<count].firstIndex(of: 0) {
                reply += chunk[..<end]
                return reply
            }
            reply += chunk[..<count]
            if reply.count > ClamdReply.maxLength {
                throw ScanError.badReply("reply longer than \(ClamdReply.maxLength) bytes")
            }
        }
    }

    /// Sets the socket timeouts to the time left, so a slow peer cannot stretch the exchange.
    private func arm(_ connection: SocketConnection, _ deadline: Double, _ what: String) throws {
        let left = deadline - Monotonic.now()
        guard left > 0 else { throw NetworkError.timedOut("\(what) after \(timeout)s") }
        try connection.setTimeouts(max(left, 0.001))
    }
}
