public import AWSWire

/// The external endpoint batch jobs use instead of the embedded store.
public struct ExternalS3Endpoint: Sendable, Equatable {
    /// `http://` for local stand-ins (MinIO, another Understudy), `https://` for S3 itself.
    public var endpoint: UpstreamEndpoint
    public var region: String
    public var credentials: SigV4Credentials
    /// The `HTTPS_PROXY` an `https` endpoint is reached through, when one applies.
    public var proxy: UpstreamProxy?

    public init(endpoint: UpstreamEndpoint, region: String, credentials: SigV4Credentials, proxy: UpstreamProxy? = nil) {
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.proxy = proxy
    }

    public var host: String { endpoint.host }
    public var port: Int { endpoint.port }
}
