// TLSClientContext: the OpenSSL client context used by the POP3/IMAP fetcher and
// any other outbound TLS. SECURITY: TLS 1.2 minimum, peer verification always on,
// CA from the system store or only from a configured CA file, no compression or
// renegotiation. Host-name checks are set per connection (TLSConnection).

import COpenSSL
import Glibc
import MadoguchiCore

/// An `SSL_CTX` configured for verified client connections.
public final class TLSClientContext {
    /// The OpenSSL context; freed in `deinit`.
    let context: OpaquePointer

    /// Creates a client context.
    /// - Parameters:
    ///   - caFile: a PEM bundle of trusted CAs. When set, only these are trusted;
    ///     when nil, the system store (`/etc/ssl/certs`) is used.
    ///   - minimumVersion: the lowest protocol version accepted (default TLS 1.2;
    ///     lower values are raised to TLS 1.2).
    /// - Throws: `TLSError.setup` when OpenSSL refuses a setting or the CA file
    ///   cannot be loaded.
    /// The TLS 1.2 cipher suites offered, in order of preference: ECDHE (forward secrecy)
    /// with AES-GCM or ChaCha20-Poly1305 (RFC 5289, RFC 7905).
    public static let tls12Ciphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    public init(caFile: String? = nil, minimumVersion: Int32 = TLS1_2_VERSION) throws {
        // OpenSSL writes through its own socket BIO without MSG_NOSIGNAL, so a peer
        // that resets the connection would otherwise kill the process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        ERR_clear_error()
        guard let method = TLS_client_method(), let ctx = SSL_CTX_new(method) else {
            throw TLSError.setup("SSL_CTX_new: " + TLSClientContext.drainErrors())
        }
        context = ctx
        let version = max(minimumVersion, TLS1_2_VERSION)
        guard copenssl_ssl_ctx_set_min_proto_version(ctx, version) == 1 else {
            throw TLSError.setup("SSL_CTX_set_min_proto_version: " + TLSClientContext.drainErrors())
        }
        SSL_CTX_set_options(ctx, copenssl_op_no_compression() | copenssl_op_no_renegotiation())
        // TLS 1.2: ECDHE key exchange with AEAD ciphers only (Mozilla "intermediate", without
        // DHE); TLS 1.3 suites are all AEAD and keep OpenSSL's default order.
        guard SSL_CTX_set_cipher_list(ctx, TLSClientContext.tls12Ciphers) == 1 else {
            throw TLSError.setup("SSL_CTX_set_cipher_list: " + TLSClientContext.drainErrors())
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        if let caFile {
            guard SSL_CTX_load_verify_locations(ctx, caFile, nil) == 1 else {
                throw TLSError.setup("cannot load CA file \(caFile): " + TLSClientContext.drainErrors())
            }
        } else {
            guard SSL_CTX_set_default_verify_paths(ctx) == 1 else {
                throw TLSError.setup("cannot load the system CA store: " + TLSClientContext.drainErrors())
            }
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// Drains OpenSSL's error queue into one line (at most four entries).
    static func drainErrors() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if messages.count < 4, let reason = ERR_reason_error_string(code) {
                messages.append(String(cString: reason))
            }
        }
        return messages.isEmpty ? "unknown error" : messages.joined(separator: "; ")
    }
}
