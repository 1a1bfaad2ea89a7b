#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

// OpenSSL spells these as macros over SSL_ctrl/BIO_ctrl (or over 64-bit option bits), which
// Swift cannot import; these functions give the TLS client (Upstream) the same calls.

static inline int understudy_SSL_CTX_set_min_proto_version(SSL_CTX *context, int version) {
    return (int)SSL_CTX_set_min_proto_version(context, version);
}

/// No TLS compression (CRIME) and no renegotiation: a client that never needs either.
static inline void understudy_SSL_CTX_disable_compression_and_renegotiation(SSL_CTX *context) {
    SSL_CTX_set_options(context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
}

static inline int understudy_SSL_set_tlsext_host_name(SSL *connection, const char *name) {
    return (int)SSL_set_tlsext_host_name(connection, name);
}

/// An empty memory BIO answers "retry" (v = -1) rather than end of file, so SSL_read and
/// SSL_do_handshake report SSL_ERROR_WANT_READ until the network brings more bytes.
static inline void understudy_BIO_set_mem_eof_return(BIO *bio, int value) {
    (void)BIO_set_mem_eof_return(bio, value);
}
