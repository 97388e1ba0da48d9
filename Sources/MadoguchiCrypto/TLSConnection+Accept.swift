// TLSConnection+Accept: the server side of a TLS connection. The handshake runs
// with an absolute deadline (the socket is non-blocking while it lasts and poll(2)
// waits for at most the time left), so a client that sends its ClientHello a byte at
// a time cannot hold a connection thread past the deadline (madoguchi-security(7) D3,
// D8). Afterwards the socket is blocking again with its SO_RCVTIMEO/SO_SNDTIMEO.

import COpenSSL
import Glibc
import MadoguchiCore

extension TLSConnection {
    /// Performs the server handshake on an accepted socket.
    /// - Parameters:
    ///   - socket: the accepted socket, with its timeouts already set; owned by the
    ///     connection afterwards (on failure the caller still owns and closes it).
    ///   - context: the server context.
    ///   - deadline: `Monotonic.now()` value by which the handshake must be done.
    /// - Returns: a connection ready for reads and writes.
    /// - Throws: `NetworkError.timedOut` past the deadline, `TLSError.handshakeFailed`
    ///   (plain HTTP, an old protocol version, no shared suite, a reset).
    public static func accept(
        over socket: SocketConnection, context: TLSServerContext, deadline: Double
    ) throws -> TLSConnection {
        let ssl = try newSSL(context.context, fd: socket.fd)
        let flags = fcntl(socket.fd, F_GETFL)
        _ = fcntl(socket.fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(socket.fd, F_SETFL, flags) }
        while true {
            let rc = SSL_accept(ssl)
            if rc == 1 { break }
            let code = SSL_get_error(ssl, rc)
            let savedErrno = errno
            var events: Int16 = 0
            if code == SSL_ERROR_WANT_READ {
                events = Int16(POLLIN)
            } else if code == SSL_ERROR_WANT_WRITE {
                events = Int16(POLLOUT)
            } else if code == SSL_ERROR_SYSCALL && (savedErrno == EINTR || savedErrno == EAGAIN) {
                events = Int16(POLLIN | POLLOUT)
            }
            guard events != 0 else {
                let detail = TLSClientContext.drainErrors()
                SSL_free(ssl)
                throw TLSError.handshakeFailed(
                    host: socket.peer, reason: detail == "unknown error" ? "connection closed during handshake" : detail
                )
            }
            ERR_clear_error()
            var pfd = pollfd(fd: socket.fd, events: events, revents: 0)
            while true {
                let left = deadline - Monotonic.now()
                guard left > 0 else {
                    SSL_free(ssl)
                    throw NetworkError.timedOut("TLS handshake with \(socket.peer)")
                }
                let ready = poll(&pfd, 1, Int32(min(left * 1000 + 1, 60_000)))
                if ready < 0 && errno == EINTR { continue }
                if ready == 0 { continue }
                break
            }
        }
        let connection = TLSConnection(ssl: ssl, socket: socket, host: socket.peer)
        connection.protocolVersion = String(cString: SSL_get_version(ssl))
        if let name = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)) {
            connection.cipher = String(cString: name)
        }
        return connection
    }
}

extension TLSConnection {
    /// Sends close_notify once, leaving the socket open (the server shuts its write
    /// side and drains the client's bytes before it closes). Errors are ignored: the
    /// connection is being dropped.
    public func sendCloseNotify() {
        guard let ssl else { return }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }
}
