// TLSConnection: a verified TLS client stream over a connected SocketConnection,
// usable wherever a ByteStream is. SECURITY: SNI plus host-name (or IP SAN) check,
// and the verify result is checked after the handshake; a failed handshake throws
// before the caller can write anything. Reads and writes keep the socket's timeouts.

import COpenSSL
import Glibc
import MadoguchiCore

/// A TLS client connection; owns its socket and closes both exactly once.
public final class TLSConnection: ByteStream {
    private(set) var ssl: OpaquePointer?
    /// The underlying socket (its timeouts apply to TLS reads and writes).
    public let socket: SocketConnection
    /// The host name or IP literal the certificate was checked against.
    public let host: String
    /// The negotiated protocol, e.g. `TLSv1.3`.
    public internal(set) var protocolVersion = ""
    /// The negotiated cipher suite name.
    public internal(set) var cipher = ""
    /// The server certificate's subject, e.g. `/CN=mail.example.com` (for `madoguchi mailbox test`).
    public private(set) var peerSubject = ""
    /// The server certificate's expiry, ISO 8601 UTC ("" if unknown).
    public private(set) var peerNotAfter = ""

    init(ssl: OpaquePointer, socket: SocketConnection, host: String) {
        self.ssl = ssl
        self.socket = socket
        self.host = host
    }

    /// Performs a verified TLS handshake on an already-connected socket.
    /// - Parameters:
    ///   - socket: the connected socket; owned by the connection afterwards.
    ///   - host: the name (or IPv4/IPv6 literal) the certificate must match.
    ///   - context: the client context (trust anchors, minimum version).
    /// - Returns: a connection ready for reads and writes.
    /// - Throws: `TLSError.certificateRejected` with OpenSSL's verify reason,
    ///   `TLSError.handshakeFailed`, or `NetworkError.timedOut`.
    public static func handshake(
        over socket: SocketConnection, host: String, context: TLSClientContext
    ) throws -> TLSConnection {
        let ssl = try newSSL(context.context, fd: socket.fd)
        let connection = TLSConnection(ssl: ssl, socket: socket, host: host)
        if isIPLiteral(host) {
            // RFC 6066: no SNI for address literals; match the certificate's IP SAN.
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                throw TLSError.setup("cannot set expected IP address \(host)")
            }
        } else {
            guard !host.isEmpty, copenssl_ssl_set_tlsext_host_name(ssl, host) == 1 else {
                throw TLSError.setup("cannot set SNI name \(host)")
            }
            SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            guard SSL_set1_host(ssl, host) == 1 else {
                throw TLSError.setup("cannot set expected host name \(host)")
            }
        }
        while true {
            let rc = SSL_connect(ssl)
            if rc == 1 { break }
            let code = SSL_get_error(ssl, rc)
            let savedErrno = errno
            if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE || code == SSL_ERROR_SYSCALL)
                && savedErrno == EINTR
            {
                continue
            }
            let verify = SSL_get_verify_result(ssl)
            if verify != X509_V_OK {
                ERR_clear_error()
                throw TLSError.certificateRejected(host: host, reason: verifyReason(verify))
            }
            if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE
                || (code == SSL_ERROR_SYSCALL && (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK))
            {
                ERR_clear_error()
                throw NetworkError.timedOut("TLS handshake with \(socket.peer)")
            }
            let detail = TLSClientContext.drainErrors()
            if code == SSL_ERROR_SYSCALL && detail == "unknown error" {
                throw TLSError.handshakeFailed(host: host, reason: "connection closed during handshake")
            }
            throw TLSError.handshakeFailed(host: host, reason: detail)
        }
        // Defence in depth: SSL_VERIFY_PEER already aborts on failure.
        let verify = SSL_get_verify_result(ssl)
        guard verify == X509_V_OK else {
            throw TLSError.certificateRejected(host: host, reason: verifyReason(verify))
        }
        guard let peer = SSL_get0_peer_certificate(ssl) else {
            throw TLSError.certificateRejected(host: host, reason: "server sent no certificate")
        }
        if let subject = X509_NAME_oneline(X509_get_subject_name(peer), nil, 0) {
            connection.peerSubject = String(cString: subject)
            copenssl_free(subject)
        }
        var expiry = tm()
        if let notAfter = X509_get0_notAfter(peer), ASN1_TIME_to_tm(notAfter, &expiry) == 1 {
            var text = [CChar](repeating: 0, count: 32)
            if strftime(&text, text.count, "%Y-%m-%dT%H:%M:%SZ", &expiry) > 0 {
                connection.peerNotAfter = String(
                    decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        connection.protocolVersion = String(cString: SSL_get_version(ssl))
        if let name = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)) {
            connection.cipher = String(cString: name)
        }
        return connection
    }

    /// A new `SSL` from `context` attached to `fd`; freed again if it cannot be attached.
    /// - Throws: `TLSError.setup`.
    static func newSSL(_ context: OpaquePointer, fd: Int32) throws -> OpaquePointer {
        ERR_clear_error()
        guard let ssl = SSL_new(context) else {
            throw TLSError.setup("SSL_new: " + TLSClientContext.drainErrors())
        }
        guard SSL_set_fd(ssl, fd) == 1 else {
            SSL_free(ssl)
            throw TLSError.setup("SSL_set_fd: " + TLSClientContext.drainErrors())
        }
        return ssl
    }

    /// True for an IPv4 or IPv6 address literal (brackets not included).
    public static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    private static func verifyReason(_ code: Int) -> String {
        guard let text = X509_verify_cert_error_string(code) else { return "verify error \(code)" }
        return String(cString: text) + " (verify error \(code))"
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let ssl else { throw NetworkError.closed("read after close from \(socket.peer)") }
        guard buffer.count > 0 else { return 0 }
        while true {
            ERR_clear_error()
            var count = 0
            if SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count) == 1 { return count }
            let code = SSL_get_error(ssl, 0)
            if code == SSL_ERROR_ZERO_RETURN { return 0 }
            try retryOrThrow(code, errno, "read from \(socket.peer)")
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let ssl else { throw NetworkError.closed("write after close to \(socket.peer)") }
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            ERR_clear_error()
            var written = 0
            if SSL_write_ex(ssl, base, left, &written) == 1 {
                left -= written
                base += written
                continue
            }
            try retryOrThrow(SSL_get_error(ssl, 0), errno, "write to \(socket.peer)")
        }
    }

    /// Maps a failed SSL_read_ex/SSL_write_ex: returns to retry after EINTR, else throws.
    /// On a blocking socket with SO_RCVTIMEO/SO_SNDTIMEO an expired timeout shows
    /// as WANT_READ/WANT_WRITE (or SYSCALL with EAGAIN).
    /// - Throws: `NetworkError.timedOut`, `NetworkError.closed`, `TLSError.io`.
    private func retryOrThrow(_ code: Int32, _ savedErrno: Int32, _ what: String) throws {
        switch code {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE, SSL_ERROR_SYSCALL:
            if savedErrno == EINTR { return }
            if code != SSL_ERROR_SYSCALL || savedErrno == EAGAIN || savedErrno == EWOULDBLOCK {
                throw NetworkError.timedOut(what)
            }
            throw NetworkError.closed(what)
        default:
            throw TLSError.io(what + ": " + TLSClientContext.drainErrors())
        }
    }

    /// Sends close_notify (without waiting for the peer's) and closes the socket.
    /// Idempotent.
    public func close() {
        if let ssl {
            ERR_clear_error()
            _ = SSL_shutdown(ssl)
            ERR_clear_error()
            SSL_free(ssl)
            self.ssl = nil
        }
        socket.close()
    }

    deinit {
        close()
    }
}
