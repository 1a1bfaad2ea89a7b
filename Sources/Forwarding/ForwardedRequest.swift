/// A call ready to send upstream: where, and exactly what to write. The headers are complete
/// and final (`Host` and `Content-Length` included, in order); an HTTP client must send them as
/// they are and add none that AWS would sign, or the signature no longer matches.
public struct ForwardedRequest: Sendable {
    public var endpoint: UpstreamEndpoint
    public var method: String
    /// Raw, as on the wire, with the endpoint's base path in front.
    public var path: String
    /// Raw, without `?`.
    public var query: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(
        endpoint: UpstreamEndpoint, method: String, path: String, query: String, headers: [(name: String, value: String)], body: [UInt8]
    ) {
        self.endpoint = endpoint
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The request target for the request line: `path[?query]`.
    public var target: String { query.isEmpty ? path : "\(path)?\(query)" }

    public var url: String { "\(endpoint.scheme.rawValue)://\(endpoint.hostHeader)\(target)" }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}
