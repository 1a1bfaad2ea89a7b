/// Signs requests with SigV4, in the Authorization header or as a presigned query.
public struct SigV4Signer: Sendable {
    public var credentials: SigV4Credentials
    public var region: String
    public var service: String

    public init(credentials: SigV4Credentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Headers botocore never signs.
    static let unsignedHeaders: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
        "amz-sdk-invocation-id", "amz-sdk-request",
    ]

    /// Adds `X-Amz-Date`, `X-Amz-Security-Token` (unless `omitSessionToken`) and
    /// `Authorization` to `request`, signing every header present except the unsignable ones.
    public func sign(
        _ request: inout HTTPRequestParts, amzDate: String, payloadHash: String,
        omitSessionTokenFromSignature: Bool = false
    ) {
        request.headers.removeAll { $0.name.lowercased() == "authorization" }
        if !request.headers.contains(where: { $0.name.lowercased() == "x-amz-date" }) {
            request.headers.append(("X-Amz-Date", amzDate))
        }
        if let token = credentials.sessionToken, !omitSessionTokenFromSignature {
            request.headers.append(("X-Amz-Security-Token", token))
        }
        let signed = Set(request.headers.map { $0.name.lowercased() }).subtracting(Self.unsignedHeaders).sorted()
        let date = String(amzDate.prefix(8))
        let scope = SigV4.scope(date: date, region: region, service: service)
        let canonical = SigV4.canonicalRequest(
            method: request.method, path: request.path, query: request.query, headers: request.headers,
            signedHeaders: signed, payloadHash: payloadHash, pathMode: SigV4.pathMode(forService: service))
        let sts = SigV4.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical)
        let key = SigV4.signingKey(secret: credentials.secretAccessKey, date: date, region: region, service: service)
        let signature = SigV4.signature(key: key, stringToSign: sts)
        if let token = credentials.sessionToken, omitSessionTokenFromSignature {
            request.headers.append(("X-Amz-Security-Token", token))
        }
        request.headers.append(
            ("Authorization",
             "\(SigV4.algorithm) Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signed.joined(separator: ";")), Signature=\(signature)"))
    }

    /// Returns the query string of a presigned URL (the request's own query included).
    public func presignedQuery(
        _ request: HTTPRequestParts, amzDate: String, expires: Int, payloadHash: String = SigV4.emptyPayloadHash
    ) -> String {
        let date = String(amzDate.prefix(8))
        let scope = SigV4.scope(date: date, region: region, service: service)
        let signed = Set(request.headers.map { $0.name.lowercased() }).subtracting(Self.unsignedHeaders)
            .subtracting(["x-amz-date", "x-amz-security-token"]).sorted()
        var items: [(String, String)] = [
            ("X-Amz-Algorithm", SigV4.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope)"),
            ("X-Amz-Date", amzDate),
            ("X-Amz-Expires", String(expires)),
        ]
        if let token = credentials.sessionToken { items.append(("X-Amz-Security-Token", token)) }
        items.append(("X-Amz-SignedHeaders", signed.joined(separator: ";")))
        let added = items.map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
        let query = request.query.isEmpty ? added : request.query + "&" + added
        let canonical = SigV4.canonicalRequest(
            method: request.method, path: request.path, query: query, headers: request.headers,
            signedHeaders: signed, payloadHash: payloadHash, pathMode: SigV4.pathMode(forService: service))
        let sts = SigV4.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical)
        let key = SigV4.signingKey(secret: credentials.secretAccessKey, date: date, region: region, service: service)
        return query + "&X-Amz-Signature=" + SigV4.signature(key: key, stringToSign: sts)
    }
}

/// The parts of an HTTP request that signing looks at; `path` and `query` are raw, as on the
/// wire (the query without its `?`).
public struct HTTPRequestParts: Sendable {
    public var method: String
    public var path: String
    public var query: String
    public var headers: [(name: String, value: String)]

    public init(method: String, path: String, query: String = "", headers: [(name: String, value: String)]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
    }

    /// Splits a request target (`/path?query`).
    public init(method: String, target: String, headers: [(name: String, value: String)]) {
        if let q = target.firstIndex(of: "?") {
            self.init(method: method, path: String(target[..<q]), query: String(target[target.index(after: q)...]), headers: headers)
        } else {
            self.init(method: method, path: target, headers: headers)
        }
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first(where: { $0.name.lowercased() == lower })?.value
    }
}
