public import AWSWire

/// Turns the request a client signed for Understudy into the one to send to AWS: the same
/// method, path, query, body and the headers AWS reads, signed again with the user's own
/// credentials for the upstream host.
///
/// - Dropped: the client's signature (`Authorization`, `X-Amz-Date`, `X-Amz-Security-Token`,
///   `X-Amz-Content-SHA256`, and a presigned URL's `X-Amz-*`/SigV2 query parameters), `Host`
///   and `Content-Length` (set again for the upstream), and the hop-by-hop headers
///   (`Connection` and the headers it names, `Keep-Alive`, `Transfer-Encoding`, `TE`,
///   `Trailer`, `Upgrade`, `Proxy-*`) plus `Expect`: the body is already whole, so there is
///   nothing to continue.
/// - Kept, in the client's order: everything else (`Content-Type`, `Accept`, `X-Amz-Target`,
///   `x-amzn-bedrock-*`, S3's `x-amz-*`, checksums, `Content-MD5`, `User-Agent`,
///   `amz-sdk-*`). AWSWire's signer signs all of them but the ones botocore never signs, so
///   the request is the one botocore would have sent to AWS directly.
/// - S3 signs its payload: `X-Amz-Content-SHA256` is the body's SHA-256, or `UNSIGNED-PAYLOAD`
///   when the client sent that; an `aws-chunked` body goes up plain (`ChunkedUpload`). A
///   virtual-hosted request (`bucket.localhost:4566`) goes up path-style, bucket first.
/// - A Bedrock API key (`Authorization: Bearer`) is not a signature: such a request goes up
///   unchanged but for `Host`, `Content-Length` and the hop-by-hop headers (`passThrough`).
public enum RequestResigner {
    /// Headers never forwarded, by lowercased name.
    static let droppedHeaders: Set<String> = [
        "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "host", "content-length",
        "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "expect",
    ]
    /// Hop-by-hop and framing only: what a bearer request loses.
    static let hopByHopHeaders: Set<String> = [
        "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "expect",
    ]
    /// The query parameters of a presigned URL (SigV4 and SigV2), never forwarded: the request
    /// goes up signed in its headers instead.
    static let presignParameters: Set<String> = [
        "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Security-Token",
        "X-Amz-Signature",
    ]
    static let sigV2Parameters: Set<String> = ["AWSAccessKeyId", "Signature", "Expires"]

    /// The service name in the SigV4 scope: `bedrock` for both Bedrock APIs.
    public static func signingName(for service: AWSService) throws(ForwardingError) -> String {
        switch service {
        case .bedrock, .bedrockRuntime: return "bedrock"
        case .states: return "states"
        case .s3: return "s3"
        case .admin: throw .notForwardable(service)
        }
    }

    /// Whether the request carries a Bedrock API key rather than a signature.
    public static func isBearer(_ request: HTTPRequestParts) -> Bool {
        request.header("Authorization")?.hasPrefix("Bearer ") == true
    }

    /// The request signed for `endpoint` with `credentials` at `epochSeconds`, in `region`.
    public static func resign(
        _ request: HTTPRequestParts, body: [UInt8], service: AWSService, region: String, endpoint: UpstreamEndpoint,
        credentials: AWSCredentials, epochSeconds: Int64
    ) throws(ForwardingError) -> ForwardedRequest {
        let scopeService = try signingName(for: service)
        guard UpstreamEndpoints.isValidRegion(region) else { throw .invalidRegion(region) }
        var headers = forwardedHeaders(request.headers, dropping: droppedHeaders)
        var payload = body
        var path = request.path
        let payloadHash: String
        if service == .s3 {
            if AWSChunkedBody.isChunked(contentSHA256: request.header("X-Amz-Content-SHA256"), contentEncoding: request.header("Content-Encoding")) {
                let upload = try ChunkedUpload(body: body, headers: headers)
                payload = upload.content
                headers = upload.headers
            }
            path = S3VirtualHost.pathStyle(path: path, host: request.header("Host"))
            payloadHash = request.header("X-Amz-Content-SHA256") == "UNSIGNED-PAYLOAD" ? "UNSIGNED-PAYLOAD" : Digest.sha256Hex(payload)
            headers.append(("X-Amz-Content-SHA256", payloadHash))
        } else {
            payloadHash = Digest.sha256Hex(payload)
        }
        var parts = HTTPRequestParts(
            method: request.method, path: endpoint.basePath + (path.isEmpty ? "/" : path), query: unsignedQuery(request.query),
            headers: [("Host", endpoint.hostHeader)] + headers)
        let signer = SigV4Signer(credentials: credentials.sigV4, region: region, service: scopeService)
        signer.sign(&parts, amzDate: AWSTimestamp.amzDate(epochSeconds: epochSeconds), payloadHash: payloadHash)
        // Added after signing, as botocore adds it when it sends: framing, not content.
        if let length = contentLength(method: parts.method, body: payload) { parts.headers.append(("Content-Length", length)) }
        return ForwardedRequest(endpoint: endpoint, method: parts.method, path: parts.path, query: parts.query, headers: parts.headers, body: payload)
    }

    /// A bearer-token request as it was, for `endpoint`: its own `Authorization` and headers
    /// kept, only `Host`, `Content-Length` and the hop-by-hop headers replaced or removed.
    public static func passThrough(_ request: HTTPRequestParts, body: [UInt8], endpoint: UpstreamEndpoint) -> ForwardedRequest {
        var headers = [("Host", endpoint.hostHeader)] + forwardedHeaders(request.headers, dropping: hopByHopHeaders)
        if let length = contentLength(method: request.method, body: body) { headers.append(("Content-Length", length)) }
        return ForwardedRequest(
            endpoint: endpoint, method: request.method, path: endpoint.basePath + (request.path.isEmpty ? "/" : request.path),
            query: request.query, headers: headers, body: body)
    }

    /// The client's headers without `dropping`, `Proxy-*`, and whatever `Connection` names.
    static func forwardedHeaders(_ headers: [(name: String, value: String)], dropping: Set<String>) -> [(name: String, value: String)] {
        var named = dropping
        for header in headers where header.name.lowercased() == "connection" {
            for token in header.value.split(separator: ",") { named.insert(ChunkedUpload.trimmed(token).lowercased()) }
        }
        return headers.filter {
            let lower = $0.name.lowercased()
            return !named.contains(lower) && !lower.hasPrefix("proxy-")
        }
    }

    /// The raw query without a presigned URL's signature parameters, the rest untouched (order
    /// and encoding as the client sent them; the signer canonicalizes).
    static func unsignedQuery(_ query: String) -> String {
        guard !query.isEmpty else { return query }
        let items = query.split(separator: "&", omittingEmptySubsequences: false)
        let names = items.map { URIEncoding.decode($0.prefix { $0 != "=" }) }
        let sigV2 = names.contains("AWSAccessKeyId") && names.contains("Signature")
        var kept: [Substring] = []
        for (item, name) in zip(items, names) {
            if presignParameters.contains(name) || (sigV2 && sigV2Parameters.contains(name)) { continue }
            kept.append(item)
        }
        return kept.joined(separator: "&")
    }

    /// A body is framed by its length; a bodiless request names none, except the methods that
    /// always carry one (botocore sends `Content-Length: 0` for an empty POST or PUT).
    static func contentLength(method: String, body: [UInt8]) -> String? {
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method.uppercased()) { return String(body.count) }
        return nil
    }
}
