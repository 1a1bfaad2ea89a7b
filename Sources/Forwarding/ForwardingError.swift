public import AWSWire

/// Why a call cannot be forwarded as it stands. The values shown come from the client's own
/// request or the configuration, cut short; none is a secret.
public enum ForwardingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The region of the client's signature cannot be part of a host name.
    case invalidRegion(String)
    /// Understudy's own admin API has no upstream.
    case notForwardable(AWSService)
    case invalidUpstreamURL(String, reason: String)
    /// An `aws-chunked` S3 body that does not decode (S3 would answer `IncompleteBody`).
    case malformedChunkedBody(String)
    case credentials(CredentialsError)

    public var description: String {
        switch self {
        case .invalidRegion(let region):
            return "the region \"\(Self.cut(region))\" is not a region name, so no AWS host can be made from it"
        case .notForwardable(let service):
            return "calls to \(service.rawValue) are Understudy's own and are not forwarded"
        case .invalidUpstreamURL(let url, let reason):
            return "the upstream URL \"\(Self.cut(url))\" cannot be used: \(reason)"
        case .malformedChunkedBody(let reason):
            return "the aws-chunked request body cannot be decoded: \(reason)"
        case .credentials(let error):
            return error.description
        }
    }

    static func cut(_ text: String) -> String { text.count <= 80 ? text : text.prefix(80) + "…" }
}
