import AWSWire
public import BedrockEngine

/// Batch storage on an S3-compatible endpoint (`bedrock.batch.s3` in the config): path-style
/// requests, SigV4-signed with the configured credentials at the real time of day, since the
/// endpoint checks the signature's age against its own clock, not Understudy's.
public struct ExternalS3Storage: BatchStorage {
    let endpoint: ExternalS3Endpoint
    let client: UpstreamHTTPClient
    /// Seconds since the epoch by the real time of day (never the server's advanceable or
    /// manual clock), for `X-Amz-Date`.
    let wallClock: @Sendable () -> Int64

    /// - Parameter tls: the trust settings for an `https` endpoint; nil is the system trust
    ///   store with verification on.
    public init(endpoint: ExternalS3Endpoint, tls: TLSClientContext? = nil, wallClock: @escaping @Sendable () -> Int64) {
        self.endpoint = endpoint
        self.client = UpstreamHTTPClient(endpoint: endpoint.endpoint, tls: tls, proxy: endpoint.proxy)
        self.wallClock = wallClock
    }

    public func bucketExists(_ bucket: String) async -> Bool {
        (try? await send("HEAD", bucket: bucket, key: nil))?.status == 200
    }

    public func objectExists(bucket: String, key: String) async -> Bool {
        (try? await send("HEAD", bucket: bucket, key: key))?.status == 200
    }

    public func keys(bucket: String, prefix: String) async throws(BatchStorageError) -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let page = try checked(try await send("GET", bucket: bucket, key: nil, query: query))
            guard let listing = S3ListingXML(page.body) else {
                throw BatchStorageError(code: "MalformedXML", message: "The endpoint's object listing is not XML.")
            }
            keys += listing.keys
            token = listing.isTruncated ? listing.nextContinuationToken : nil
        } while token != nil
        return keys
    }

    public func get(bucket: String, key: String) async throws(BatchStorageError) -> [UInt8] {
        try checked(try await send("GET", bucket: bucket, key: key)).body
    }

    public func put(bucket: String, key: String, body: [UInt8], contentType: String) async throws(BatchStorageError) {
        _ = try checked(try await send("PUT", bucket: bucket, key: key, body: body, headers: [("Content-Type", contentType)]))
    }

    /// A 2xx response, or its S3 error as a storage error.
    private func checked(_ response: UpstreamResponse) throws(BatchStorageError) -> UpstreamResponse {
        guard !(200..<300).contains(response.status) else { return response }
        let error = S3ListingXML.error(response.body)
        throw BatchStorageError(code: error?.code ?? "HTTP\(response.status)", message: error?.message ?? "status \(response.status)")
    }

    private func send(
        _ method: String, bucket: String, key: String?, query: [(String, String)] = [], body: [UInt8] = [],
        headers extra: [(name: String, value: String)] = []
    ) async throws(BatchStorageError) -> UpstreamResponse {
        var path = "/" + URIEncoding.encode(bucket)
        if let key { path += "/" + URIEncoding.encode(key, keepSlash: true) }
        let rawQuery = query.map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
        let payloadHash = Digest.sha256Hex(body)
        var headers: [(name: String, value: String)] = [("Host", client.hostHeader), ("x-amz-content-sha256", payloadHash)]
        headers += extra
        if method == "PUT" { headers.append(("Content-Length", String(body.count))) }
        var parts = HTTPRequestParts(method: method, path: path, query: rawQuery, headers: headers)
        SigV4Signer(credentials: endpoint.credentials, region: endpoint.region, service: "s3")
            .sign(&parts, amzDate: AWSTimestamp.amzDate(epochSeconds: wallClock()), payloadHash: payloadHash)
        do {
            return try await client.send(method: method, target: rawQuery.isEmpty ? path : path + "?" + rawQuery, headers: parts.headers, body: body)
        } catch {
            throw BatchStorageError(code: "RequestFailed", message: error.description)
        }
    }
}
