/* COpenSSL: the Debian OpenSSL 3 as a Swift module, EVP only.
 * Deprecated low-level APIs are hidden by the two macros below; wrappers exist
 * only for function-like macros and cast macros Swift cannot import. */
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>

static inline void copenssl_free(void *pointer) {
    OPENSSL_free(pointer);
}

static inline int copenssl_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int copenssl_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

static inline long copenssl_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) {
    return (long)SSL_CTX_set_mode(ctx, mode);
}

static inline void copenssl_ssl_ctx_set_read_ahead(SSL_CTX *ctx, int yes) {
    SSL_CTX_set_read_ahead(ctx, yes);
}

static inline int copenssl_ssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

static inline long copenssl_bio_get_mem_data(BIO *bio, char **data) {
    return (long)BIO_get_mem_data(bio, data);
}

static inline uint64_t copenssl_op_no_compression(void) {
    return (uint64_t)SSL_OP_NO_COMPRESSION;
}

static inline uint64_t copenssl_op_no_renegotiation(void) {
    return (uint64_t)SSL_OP_NO_RENEGOTIATION;
}

static inline int copenssl_ssl_ctx_set1_groups_list(SSL_CTX *ctx, const char *list) {
    return (int)SSL_CTX_set1_groups_list(ctx, list);
}

#endif
