/// Why a call to an upstream got no (complete) answer. The kind lets a caller decide what to
/// tell its own client (an unreachable upstream is retryable; a refused certificate is a
/// configuration problem), the description says it in words for the log.
public struct UpstreamFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No TCP connection to the upstream (or to the proxy): nothing was sent.
        case connect
        /// The HTTPS proxy refused the CONNECT tunnel or broke it: nothing reached the upstream.
        case proxy
        /// TLS refused the upstream (its certificate, its host name, the handshake) or broke
        /// after it. A refusal comes before any byte of the request left.
        case tls(TLSFailure)
        /// No answer, or no more of it, within the client's timeout.
        case timeout
        /// The connection closed before the answer ended.
        case closed
        /// The upstream's answer is not HTTP/1.1 this client can read.
        case malformedResponse
        /// The caller's task was cancelled.
        case cancelled
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// True when the failure came before any byte of the request can have reached the
    /// upstream, so retrying cannot repeat an operation there.
    public var requestWasNotSent: Bool {
        switch kind {
        case .connect, .proxy: return true
        case .tls(let failure):
            switch failure {
            case .connectionFailed: return false
            default: return true
            }
        case .timeout, .closed, .malformedResponse, .cancelled: return false
        }
    }
}
