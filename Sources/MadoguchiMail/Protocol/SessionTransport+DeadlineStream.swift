// SessionTransport+DeadlineStream: clamps each socket read to what is left
// of the session deadline, so a slow-drip server (B3) is cut off at the deadline
// itself rather than up to one read timeout later.

import MadoguchiCore

extension SessionTransport {
    /// The stream the LineReader reads: the current plain or TLS stream, with
    /// SO_RCVTIMEO lowered to the remaining session time when that is shorter.
    final class DeadlineStream: ByteStream {
        /// The plain socket or the TLS connection over it.
        var inner: any ByteStream
        private let socket: SocketConnection
        private let readTimeout: Double
        private let deadline: Double
        private var applied: Double

        init(socket: SocketConnection, readTimeout: Double, deadline: Double) {
            inner = socket
            self.socket = socket
            self.readTimeout = readTimeout
            self.deadline = deadline
            applied = readTimeout
        }

        /// Sets the socket's read and write timeouts (also used during the TLS handshake).
        /// - Throws: `NetworkError.io`.
        func setTimeout(_ seconds: Double) throws {
            try socket.setTimeouts(seconds)
            applied = seconds
        }

        /// Seconds left before the session deadline (never negative).
        var remaining: Double { max(0, deadline - Monotonic.now()) }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let left = remaining
            guard left > 0 else { throw NetworkError.timedOut("session deadline reached") }
            let timeout = min(readTimeout, max(left, 0.01))
            if timeout != applied { try setTimeout(timeout) }
            do {
                return try inner.read(into: buffer)
            } catch NetworkError.timedOut where timeout < readTimeout {
                throw NetworkError.timedOut("session deadline reached")
            }
        }

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard remaining > 0 else { throw NetworkError.timedOut("session deadline reached") }
            try inner.write(bytes)
        }
    }
}
