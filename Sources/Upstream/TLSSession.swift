import COpenSSL
import NIOCore

/// One connection's OpenSSL `SSL` between two memory BIOs: ciphertext from the network is fed
/// in, ciphertext for the network is taken out, and OpenSSL never touches a socket. That keeps
/// all I/O in NIO, and all use of the `SSL` on the channel's event loop: OpenSSL lets one
/// thread at a time use an `SSL`, and its error queue is per thread. Freed with the session.
final class TLSSession {
    enum HandshakeProgress {
        /// OpenSSL waits for more bytes from the peer.
        case needsInput
        case finished
        case failed(TLSFailure)
    }

    /// Where the plaintext stream stands after the ciphertext fed so far.
    enum StreamState {
        case open
        /// The peer sent close_notify: a clean end.
        case closedByPeer
        case failed(TLSFailure)
    }

    private let connection: OpaquePointer
    /// Network to OpenSSL; owned by `connection`.
    private let networkInput: OpaquePointer
    /// OpenSSL to network; owned by `connection`.
    private let networkOutput: OpaquePointer
    private let serverName: String
    private let verifiesPeer: Bool

    /// A client session for `serverName`, a DNS name (sent as SNI and matched against the
    /// certificate) or an IP address (matched against its IP addresses; RFC 6066 allows no SNI).
    init(context: TLSClientContext, serverName: String) throws(TLSFailure) {
        OpenSSLErrorQueue.clear()
        guard let connection = SSL_new(context.context) else {
            throw .configuration("cannot create a TLS session: \(OpenSSLErrorQueue.drain())")
        }
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            SSL_free(connection)
            throw .configuration("cannot create memory BIOs: \(OpenSSLErrorQueue.drain())")
        }
        understudy_BIO_set_mem_eof_return(input, -1)
        understudy_BIO_set_mem_eof_return(output, -1)
        SSL_set_bio(connection, input, output)
        SSL_set_connect_state(connection)
        do {
            try Self.name(serverName, on: connection)
        } catch {
            SSL_free(connection)  // and the BIOs it owns
            throw error
        }
        self.connection = connection
        self.networkInput = input
        self.networkOutput = output
        self.serverName = serverName
        self.verifiesPeer = context.verifiesPeer
    }

    deinit { SSL_free(connection) }

    private static func name(_ serverName: String, on connection: OpaquePointer) throws(TLSFailure) {
        let parameters = SSL_get0_param(connection)
        // Accepts only a literal IPv4 or IPv6 address, so it doubles as the test for one.
        let isAddress = X509_VERIFY_PARAM_set1_ip_asc(parameters, serverName) == 1
        OpenSSLErrorQueue.clear()
        if !isAddress {
            guard understudy_SSL_set_tlsext_host_name(connection, serverName) == 1 else {
                throw .configuration("cannot send \(serverName) as the server name: \(OpenSSLErrorQueue.drain())")
            }
            SSL_set_hostflags(connection, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            guard SSL_set1_host(connection, serverName) == 1 else {
                throw .configuration("cannot check certificates for \(serverName): \(OpenSSLErrorQueue.drain())")
            }
        }
    }

    /// Hands OpenSSL ciphertext that arrived from the network.
    func receive(_ buffer: ByteBuffer) throws(TLSFailure) {
        let written = buffer.withUnsafeReadableBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
            return BIO_write(networkInput, base, Int32(bytes.count))
        }
        guard Int(written) == buffer.readableBytes else {
            throw .connectionFailed("cannot buffer \(buffer.readableBytes) bytes from the network: \(OpenSSLErrorQueue.drain())")
        }
    }

    /// Runs the handshake as far as the bytes received allow.
    func advanceHandshake() -> HandshakeProgress {
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(connection)
        if result == 1 { return .finished }
        switch SSL_get_error(connection, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return .needsInput
        default: return .failed(handshakeFailure())
        }
    }

    /// What went wrong, in the words a person acts on: the certificate check first, since
    /// OpenSSL's own queue only says "certificate verify failed" without why.
    private func handshakeFailure() -> TLSFailure {
        let verification = SSL_get_verify_result(connection)
        guard verifiesPeer, verification != X509_V_OK else { return .handshakeFailed(OpenSSLErrorQueue.drain()) }
        OpenSSLErrorQueue.clear()
        if verification == X509_V_ERR_HOSTNAME_MISMATCH || verification == X509_V_ERR_IP_ADDRESS_MISMATCH {
            return .hostnameMismatch(host: serverName)
        }
        return .certificateVerifyFailed(reason: String(cString: X509_verify_cert_error_string(verification)))
    }

    /// Decrypts every whole record received so far, in chunks of at most 16 KiB (one record).
    func readPlaintext(allocator: ByteBufferAllocator) -> (chunks: [ByteBuffer], state: StreamState) {
        var chunks: [ByteBuffer] = []
        while true {
            OpenSSLErrorQueue.clear()
            var buffer = allocator.buffer(capacity: 16_384)
            var result: Int32 = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 16_384) { space in
                result = SSL_read(connection, space.baseAddress, Int32(min(space.count, Int(Int32.max))))
                return result > 0 ? Int(result) : 0
            }
            if result > 0 {
                chunks.append(buffer)
                continue
            }
            switch SSL_get_error(connection, result) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return (chunks, .open)
            case SSL_ERROR_ZERO_RETURN: return (chunks, .closedByPeer)
            default: return (chunks, .failed(.connectionFailed(OpenSSLErrorQueue.drain())))
            }
        }
    }

    /// Encrypts `buffer` into records waiting in the output BIO.
    func write(_ buffer: ByteBuffer) throws(TLSFailure) {
        guard buffer.readableBytes > 0 else { return }
        OpenSSLErrorQueue.clear()
        let written = buffer.withUnsafeReadableBytes { bytes in
            SSL_write(connection, bytes.baseAddress, Int32(bytes.count))
        }
        guard Int(written) == buffer.readableBytes else {
            throw .connectionFailed("cannot encrypt \(buffer.readableBytes) bytes: \(OpenSSLErrorQueue.drain())")
        }
    }

    /// Queues close_notify, so the peer can tell the end from a truncation.
    func shutdown() {
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(connection)
        OpenSSLErrorQueue.clear()
    }

    /// The ciphertext OpenSSL produced since the last call (handshake messages, records,
    /// alerts), or nil when there is none.
    func takeOutput(allocator: ByteBufferAllocator) -> ByteBuffer? {
        let pending = Int(BIO_ctrl_pending(networkOutput))
        guard pending > 0 else { return nil }
        var buffer = allocator.buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { space in
            Int(max(0, BIO_read(networkOutput, space.baseAddress, Int32(pending))))
        }
        return buffer
    }
}

@available(*, unavailable)
extension TLSSession: Sendable {}
