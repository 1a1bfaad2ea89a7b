/// Which service a request is for, on one shared endpoint (wire.md §6). Never by Host: SDKs
/// prepend `sync-` for StartSyncExecution and S3 clients may use virtual hosting.
public enum AWSService: String, Sendable, CaseIterable {
    case admin
    case states
    case bedrockRuntime = "bedrock-runtime"
    case bedrock
    case s3
}

public enum ServiceResolver {
    /// First path segments that belong to the Bedrock runtime API; every other `bedrock`-signed
    /// path is the control plane.
    public static let bedrockRuntimeSegments: Set<String> = ["model", "guardrail", "async-invoke"]
    /// Control-plane first segments, used to route unsigned requests.
    public static let bedrockControlSegments: Set<String> = [
        "foundation-models", "inference-profiles", "model-invocation-job", "model-invocation-jobs", "custom-models",
        "guardrails", "model-customization-jobs", "model-customization-job", "provisioned-model-throughput",
        "provisioned-model-throughputs", "evaluation-jobs", "evaluation-job", "logging", "imported-models",
        "model-import-jobs", "prompt-routers", "marketplace-model-endpoints", "model-copy-jobs",
    ]
    public static let adminPrefix = "/_understudy/"

    /// - Parameters:
    ///   - path: the raw request path (no query).
    ///   - header: case-insensitive header lookup.
    public static func resolve(
        method: String, path: String, query: String, header: (String) -> String?
    ) -> AWSService {
        if path.hasPrefix(adminPrefix) || path == "/_understudy" { return .admin }
        let first = FirstSegment(path)
        func bedrockByPath() -> AWSService { first.isRuntime ? .bedrockRuntime : .bedrock }
        if let scopeService = credentialScopeService(query: query, header: header) {
            switch scopeService {
            case "states": return .states
            case "bedrock", "bedrock-runtime": return bedrockByPath()
            case "s3": return .s3
            default: break
            }
        }
        if let target = header("X-Amz-Target"), target.hasPrefix("AWSStepFunctions.") { return .states }
        if let auth = header("Authorization") {
            if auth.hasPrefix("Bearer ") { return bedrockByPath() }
            if auth.hasPrefix("AWS ") { return .s3 }
        }
        if header("X-Amz-Content-SHA256") != nil || (!query.isEmpty && query.utf8.firstRange(of: "AWSAccessKeyId=".utf8) != nil) {
            return .s3
        }
        // Unsigned: route by the path's first segment.
        if first.isRuntime { return .bedrockRuntime }
        if let text = first.text, bedrockControlSegments.contains(text) { return .bedrock }
        if method == "POST", path == "/" || path.isEmpty,
            let contentType = header("Content-Type"), contentType.hasPrefix("application/x-amz-json-1.0")
        {
            return .states
        }
        return .s3
    }

    /// The path's first segment, compared as bytes on the hot path.
    struct FirstSegment {
        let bytes: Substring.UTF8View?

        init(_ path: String) {
            let utf8 = Substring(path).utf8
            var start = utf8.startIndex
            while start != utf8.endIndex, utf8[start] == UInt8(ascii: "/") { start = utf8.index(after: start) }
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "/")) ?? utf8.endIndex
            bytes = start == end ? nil : utf8[start..<end]
        }

        var isRuntime: Bool {
            guard let bytes else { return false }
            return bytes.elementsEqual("model".utf8) || bytes.elementsEqual("guardrail".utf8) || bytes.elementsEqual("async-invoke".utf8)
        }

        var text: String? { bytes.map { URIEncoding.decodeBytes($0) } }
    }

    /// The service in the SigV4 credential scope, from the header or a presigned query.
    public static func credentialScopeService(query: String, header: (String) -> String?) -> String? {
        if let auth = header("Authorization"), auth.hasPrefix(SigV4.algorithm),
            let range = auth.firstRange(of: "Credential=")
        {
            let credential = auth[range.upperBound...].prefix(while: { $0 != "," && $0 != " " })
            let parts = credential.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 5 { return String(parts[3]) }
        }
        if !query.isEmpty, query.utf8.firstRange(of: "X-Amz-Credential=".utf8) != nil {
            for item in URIEncoding.queryItems(query) where item.name == "X-Amz-Credential" {
                let parts = item.value.split(separator: "/", omittingEmptySubsequences: false)
                if parts.count == 5 { return String(parts[3]) }
            }
        }
        return nil
    }
}
