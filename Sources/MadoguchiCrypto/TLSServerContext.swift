// TLSServerContext: the OpenSSL server context of the web page, Mozilla
// "intermediate" (madoguchi-security(7) D8): TLS 1.2 and 1.3 only, ECDHE with AEAD
// suites for TLS 1.2, groups X25519, P-256, P-384, no compression, no renegotiation,
// the client's suite order. Certificate chain and key are read (and checked to
// match) when the context is made, before the server accepts anything.

import COpenSSL
import Glibc
import MadoguchiCore

/// An `SSL_CTX` for the HTTPS listener.
///
/// Sendable: OpenSSL allows `SSL_new` on one context from many threads at once
/// (ssl(7), "Multithreading"); the context is configured completely in `init` and never
/// changed afterwards, and its session cache is locked internally.
public final class TLSServerContext: @unchecked Sendable {
    /// The OpenSSL context; freed in `deinit`.
    let context: OpaquePointer

    /// The TLS 1.3 suites (RFC 8446 appendix B.4), all AEAD.
    public static let tls13Ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
    /// The key exchange groups, in the client's order of preference.
    public static let groups = "X25519:prime256v1:secp384r1"

    /// Creates the server context and loads the certificate chain and key.
    /// - Parameters:
    ///   - certificateFile: PEM file: the server certificate first, then intermediates.
    ///   - keyFile: PEM private key (unencrypted) of that certificate.
    /// - Throws: `TLSError.setup` naming the file when it cannot be read, does not
    ///   parse, or the key does not belong to the certificate.
    public init(certificateFile: String, keyFile: String) throws {
        // OpenSSL writes through its own socket BIO without MSG_NOSIGNAL: a client that
        // resets the connection must not kill the server with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        ERR_clear_error()
        guard let method = TLS_server_method(), let ctx = SSL_CTX_new(method) else {
            throw TLSError.setup("SSL_CTX_new: " + TLSClientContext.drainErrors())
        }
        context = ctx
        guard copenssl_ssl_ctx_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 else {
            throw TLSError.setup("SSL_CTX_set_min_proto_version: " + TLSClientContext.drainErrors())
        }
        guard SSL_CTX_set_cipher_list(ctx, TLSClientContext.tls12Ciphers) == 1 else {
            throw TLSError.setup("SSL_CTX_set_cipher_list: " + TLSClientContext.drainErrors())
        }
        guard SSL_CTX_set_ciphersuites(ctx, TLSServerContext.tls13Ciphersuites) == 1 else {
            throw TLSError.setup("SSL_CTX_set_ciphersuites: " + TLSClientContext.drainErrors())
        }
        guard copenssl_ssl_ctx_set1_groups_list(ctx, TLSServerContext.groups) == 1 else {
            throw TLSError.setup("SSL_CTX_set1_groups_list: " + TLSClientContext.drainErrors())
        }
        // No SSL_OP_CIPHER_SERVER_PREFERENCE: every suite offered is AEAD with forward
        // secrecy, so the client may pick the one its hardware does fastest.
        SSL_CTX_set_options(ctx, copenssl_op_no_compression() | copenssl_op_no_renegotiation())
        // One read(2) takes in as many records as have arrived, instead of one for each
        // record's 5-byte header and another for its body. Nothing polls the socket
        // between SSL_read calls once the handshake is done, so data OpenSSL holds back
        // is never waited for.
        copenssl_ssl_ctx_set_read_ahead(ctx, 1)
        guard SSL_CTX_use_certificate_chain_file(ctx, certificateFile) == 1 else {
            throw TLSError.setup("cannot load certificate \(certificateFile): " + TLSClientContext.drainErrors())
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, keyFile, SSL_FILETYPE_PEM) == 1 else {
            throw TLSError.setup("cannot load private key \(keyFile): " + TLSClientContext.drainErrors())
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            ERR_clear_error()
            throw TLSError.setup("private key \(keyFile) does not match certificate \(certificateFile)")
        }
    }

    deinit {
        SSL_CTX_free(context)
    }
}
