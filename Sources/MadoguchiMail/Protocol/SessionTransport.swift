// SessionTransport: the connection under a POP3, IMAP or SMTP session: TCP connect,
// implicit TLS or a strict STARTTLS upgrade, per-read timeouts and the session
// deadline. SECURITY: after STARTTLS everything buffered in plaintext is dropped
// (nostarttls.secvuln.info command injection), and no byte is written before a
// verified handshake when TLS is configured.

import MadoguchiCore
import MadoguchiCrypto

/// The socket (and TLS layer) of one protocol session.
final class SessionTransport {
    /// Where a session connects, how it is protected and how long it may take.
    struct Endpoint {
        /// A short name for logs (the mailbox or relay name).
        var name: String
        /// Host name or IP literal, checked against the certificate.
        var host: String
        var port: UInt16
        var tls: TLSMode
        /// A PEM CA bundle to trust instead of the system store, or nil.
        var caFile: String?
        /// Seconds for the TCP connect and each TLS handshake.
        var connectTimeout: Double
        /// Seconds one read or write may block.
        var readTimeout: Double
        /// Seconds the whole session may last.
        var sessionTimeout: Double
        /// Longest line `reader` accepts, terminator included.
        var maxLineLength: Int
    }

    let endpoint: Endpoint
    let log: Log
    /// Buffered reader over the current stream (plain or TLS).
    let reader: LineReader
    private let socket: SocketConnection
    private var tls: TLSConnection?
    private let stream: DeadlineStream

    /// Connects to the endpoint and, for implicit TLS, completes a verified handshake.
    /// - Throws: `NetworkError`, `TLSError`.
    init(_ endpoint: Endpoint, log: Log) throws {
        self.endpoint = endpoint
        self.log = log
        let deadline = Monotonic.now() + endpoint.sessionTimeout
        socket = try SocketConnection.connectTCP(
            host: endpoint.host, port: endpoint.port, timeout: endpoint.connectTimeout)
        stream = DeadlineStream(socket: socket, readTimeout: endpoint.readTimeout, deadline: deadline)
        reader = LineReader(stream: stream, maxLineLength: endpoint.maxLineLength, deadline: deadline)
        if endpoint.tls == .implicit {
            try upgrade()
        } else {
            try stream.setTimeout(endpoint.readTimeout)
        }
    }

    /// Connects for a POP3/IMAP session of `account` within `limits`.
    /// - Throws: `NetworkError`, `TLSError`.
    convenience init(account: FetchAccount, limits: FetchLimits, log: Log) throws {
        try self.init(
            Endpoint(
                name: account.name, host: account.host, port: account.port, tls: account.tls,
                caFile: account.caFile, connectTimeout: limits.connectTimeout, readTimeout: limits.readTimeout,
                sessionTimeout: limits.sessionTimeout, maxLineLength: limits.maxLineLength),
            log: log)
    }

    /// Upgrades the plaintext connection to TLS after the server accepted STLS/STARTTLS.
    /// Drops anything the server sent after its go-ahead in plaintext.
    /// - Throws: `TLSError`, `NetworkError`.
    func startTLS() throws {
        let dropped = reader.discardBuffered()
        if dropped > 0 {
            log.warning("\(endpoint.name): dropped \(dropped) plaintext bytes sent before the TLS handshake")
        }
        try upgrade()
    }

    private func upgrade() throws {
        guard stream.remaining > 0 else { throw NetworkError.timedOut("session deadline reached") }
        try stream.setTimeout(min(endpoint.connectTimeout, stream.remaining))
        let context = try TLSClientContext(caFile: endpoint.caFile)
        let connection = try TLSConnection.handshake(over: socket, host: endpoint.host, context: context)
        try stream.setTimeout(endpoint.readTimeout)
        tls = connection
        stream.inner = connection
        log.debug("\(endpoint.name): \(connection.protocolVersion) \(connection.cipher)")
    }

    /// The TLS layer once secured, for `madoguchi mailbox test`.
    var tlsConnection: TLSConnection? { tls }

    /// Writes bytes.
    /// - Throws: `NetworkError`, `TLSError`.
    func send(_ bytes: [UInt8]) throws {
        try stream.write(bytes)
    }

    /// Writes one command line, adding CRLF.
    /// - Throws: `NetworkError`, `TLSError`.
    func sendLine(_ line: String) throws {
        try send(Array(line.utf8) + [0x0D, 0x0A])
    }

    /// Closes TLS (close_notify) and the socket. Idempotent.
    func close() {
        if let tls {
            tls.close()
        } else {
            socket.close()
        }
    }
}
