public import AWSWire

/// What the recorder calls for each call it forwards: picks the upstream, finds the user's
/// credentials (only when the request needs signing) and returns the request to send.
public struct RequestForwarder: Sendable {
    public var endpoints: UpstreamEndpoints
    public var credentials: CredentialChain
    /// Seconds since 1970 for `X-Amz-Date`: real time, since AWS refuses a signature more
    /// than 15 minutes off its own clock, whatever the server's advanced clock says.
    public var now: @Sendable () -> Int64

    public init(endpoints: UpstreamEndpoints, credentials: CredentialChain, now: @escaping @Sendable () -> Int64) {
        self.endpoints = endpoints
        self.credentials = credentials
        self.now = now
    }

    /// - Parameters:
    ///   - request: the client's request as received (raw path and query, headers in order).
    ///   - operation: the operation name (`InvokeModel`, `StartSyncExecution`, `PutObject`).
    ///   - region: the region of the client's signature (the caller's region).
    public func prepare(
        _ request: HTTPRequestParts, body: [UInt8], service: AWSService, operation: String, region: String
    ) async throws(ForwardingError) -> ForwardedRequest {
        let endpoint = try endpoints.endpoint(service: service, operation: operation, region: region)
        if RequestResigner.isBearer(request) { return RequestResigner.passThrough(request, body: body, endpoint: endpoint) }
        let found: AWSCredentials
        do {
            found = try await credentials.credentials()
        } catch {
            throw .credentials(error)
        }
        return try RequestResigner.resign(
            request, body: body, service: service, region: region, endpoint: endpoint, credentials: found, epochSeconds: now())
    }
}
