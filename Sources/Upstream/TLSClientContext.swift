import COpenSSL

/// The TLS settings every upstream connection shares: one OpenSSL `SSL_CTX` with TLS 1.2 as
/// the floor, the system trust store (plus an optional CA file, for tests and corporate
/// proxies) and peer verification on. Made once at start-up, so a bad CA file is a start-up
/// error and the trust store is read once rather than per connection.
///
/// `@unchecked Sendable` because the compiler cannot see that the context is immutable: it is
/// configured in `init` and never changed afterwards, and OpenSSL documents a configured
/// `SSL_CTX` as safe to share between threads for `SSL_new` (its reference count and session
/// cache have their own locks). Each connection's `SSL` is its own (`TLSSession`).
public final class TLSClientContext: @unchecked Sendable {
    let context: OpaquePointer
    /// False only when verification was switched off explicitly (`insecureSkipVerify`).
    public let verifiesPeer: Bool

    /// - Parameters:
    ///   - extraCAFile: a PEM file of CAs trusted besides the system's.
    ///   - insecureSkipVerify: accept any certificate for any host. Only for an explicit
    ///     configuration key; the caller logs a warning, since nothing else will.
    public init(extraCAFile: String? = nil, insecureSkipVerify: Bool = false) throws(TLSFailure) {
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .configuration("cannot create an OpenSSL context: \(OpenSSLErrorQueue.drain())")
        }
        do {
            try Self.configure(context, extraCAFile: extraCAFile, insecureSkipVerify: insecureSkipVerify)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        self.context = context
        self.verifiesPeer = !insecureSkipVerify
    }

    private static func configure(_ context: OpaquePointer, extraCAFile: String?, insecureSkipVerify: Bool) throws(TLSFailure) {
        guard understudy_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw .configuration("cannot require TLS 1.2: \(OpenSSLErrorQueue.drain())")
        }
        understudy_SSL_CTX_disable_compression_and_renegotiation(context)
        // Honours SSL_CERT_FILE and SSL_CERT_DIR like the openssl tool; a machine without a
        // trust store fails each handshake with "unable to get local issuer certificate".
        _ = SSL_CTX_set_default_verify_paths(context)
        OpenSSLErrorQueue.clear()
        if let extraCAFile {
            guard SSL_CTX_load_verify_locations(context, extraCAFile, nil) == 1 else {
                throw .configuration("cannot load CA file \(extraCAFile): \(OpenSSLErrorQueue.drain())")
            }
        }
        SSL_CTX_set_verify(context, insecureSkipVerify ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, nil)
        // Say HTTP/1.1 outright, so a server that prefers HTTP/2 does not guess.
        let alpn: [UInt8] = [8] + Array("http/1.1".utf8)
        guard SSL_CTX_set_alpn_protos(context, alpn, UInt32(alpn.count)) == 0 else {
            throw .configuration("cannot set ALPN: \(OpenSSLErrorQueue.drain())")
        }
    }

    deinit { SSL_CTX_free(context) }
}
