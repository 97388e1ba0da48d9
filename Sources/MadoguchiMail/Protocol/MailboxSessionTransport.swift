// MailboxSessionTransport: the connection under a POP3/IMAP session: TCP connect,
// implicit TLS or a strict STARTTLS upgrade, per-read timeouts and the session
// deadline. SECURITY: after STARTTLS everything buffered in plaintext is dropped
// (nostarttls.secvuln.info command injection), and no byte is written before a
// verified handshake when TLS is configured.

import MadoguchiCore
import MadoguchiCrypto

/// The socket (and TLS layer) of one mailbox session.
final class MailboxSessionTransport {
    let account: FetchAccount
    let limits: FetchLimits
    let log: Log
    /// Buffered reader over the current stream (plain or TLS).
    let reader: LineReader
    private let socket: SocketConnection
    private var tls: TLSConnection?
    private let stream: DeadlineStream

    /// Connects to the account's server and, for implicit TLS, completes a verified handshake.
    /// - Throws: `NetworkError`, `TLSError`.
    init(account: FetchAccount, limits: FetchLimits, log: Log) throws {
        self.account = account
        self.limits = limits
        self.log = log
        let deadline = Monotonic.now() + limits.sessionTimeout
        socket = try SocketConnection.connectTCP(host: account.host, port: account.port, timeout: limits.connectTimeout)
        stream = DeadlineStream(socket: socket, readTimeout: limits.readTimeout, deadline: deadline)
        reader = LineReader(stream: stream, maxLineLength: limits.maxLineLength, deadline: deadline)
        if account.tls == .implicit {
            try upgrade()
        } else {
            try stream.setTimeout(limits.readTimeout)
        }
    }

    /// Upgrades the plaintext connection to TLS after the server accepted STLS/STARTTLS.
    /// Drops anything the server sent after its go-ahead in plaintext.
    /// - Throws: `TLSError`, `NetworkError`.
    func startTLS() throws {
        let dropped = reader.discardBuffered()
        if dropped > 0 {
            log.warning("\(account.name): dropped \(dropped) plaintext bytes sent before the TLS handshake")
        }
        try upgrade()
    }

    private func upgrade() throws {
        guard stream.remaining > 0 else { throw NetworkError.timedOut("session deadline reached") }
        try stream.setTimeout(min(limits.connectTimeout, stream.remaining))
        let context = try TLSClientContext(caFile: account.caFile)
        let connection = try TLSConnection.handshake(over: socket, host: account.host, context: context)
        try stream.setTimeout(limits.readTimeout)
        tls = connection
        stream.inner = connection
        log.debug("\(account.name): \(connection.protocolVersion) \(connection.cipher)")
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
