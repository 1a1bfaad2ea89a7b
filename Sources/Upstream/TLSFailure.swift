/// Why a TLS connection to an upstream was refused or broke. Each case says in its description
/// what a person has to fix (trust the CA, fix the host name, check the endpoint speaks TLS),
/// because the server logs it and answers the client with it.
public enum TLSFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The chain did not verify against the trust store: `reason` is OpenSSL's wording of the
    /// X.509 error ("self-signed certificate in certificate chain", "certificate has expired").
    case certificateVerifyFailed(reason: String)
    /// The chain is trusted but names another host than the one dialled.
    case hostnameMismatch(host: String)
    /// The handshake failed for another reason (protocol version, alert, not TLS at all):
    /// OpenSSL's error queue, joined.
    case handshakeFailed(String)
    /// The peer closed the connection before the handshake finished.
    case closedDuringHandshake
    /// An error after the handshake (a bad record, a failed write).
    case connectionFailed(String)
    /// The client's own configuration could not be loaded (an unreadable or empty CA file).
    case configuration(String)

    public var description: String {
        switch self {
        case .certificateVerifyFailed(let reason): return "certificate verify failed: \(reason)"
        case .hostnameMismatch(let host): return "hostname mismatch: the certificate is not valid for \(host)"
        case .handshakeFailed(let detail): return "TLS handshake failed: \(detail)"
        case .closedDuringHandshake: return "TLS handshake failed: the connection closed before it finished"
        case .connectionFailed(let detail): return "TLS connection failed: \(detail)"
        case .configuration(let detail): return "TLS configuration: \(detail)"
        }
    }
}
