public import AWSWire
import HTTPEdge
import JSONCore
import Locking
import Logging
import NIOCore
import ServiceKit
import UnderstudyServer
import Upstream

/// One Understudy a test talks to: its endpoint for any SDK, a signing client for raw requests,
/// typed helpers per service, and control of what the server does and remembers.
///
/// In process, the server is the real `UnderstudyHTTPServer` on an ephemeral loopback port (one
/// event loop; SDKs reach it by `endpoint`), and control calls go straight to its pipeline's
/// admin API without a socket. Live, both go over HTTP. Either way the JSON is the admin API's.
public final class TestServer: Sendable {
    /// The base URL for SDKs (`AWS_ENDPOINT_URL`, Soto, aws-sdk-swift, URLSession).
    public let endpoint: String
    /// The identity requests are signed as; any key works unless the server is strict.
    public let credentials: SigV4Credentials
    public let region: String

    /// Where `endpoint` points, for the `Host` of signed requests.
    private let address: UpstreamEndpoint
    private let client: UpstreamHTTPClient
    private let pool: UpstreamConnectionPool
    private let local: (server: UnderstudyHTTPServer, pipeline: RequestPipeline)?
    private let ended = Locked(false)

    /// The key pair tests sign with by default, AWS's documented example.
    public static let exampleCredentials = SigV4Credentials(
        accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    private init(endpoint: UpstreamEndpoint, local: (server: UnderstudyHTTPServer, pipeline: RequestPipeline)?) {
        self.endpoint = "http://\(endpoint.authority)"
        address = endpoint
        credentials = Self.exampleCredentials
        region = "us-east-1"
        pool = UpstreamConnectionPool()
        client = UpstreamHTTPClient(endpoint: endpoint, timeoutSeconds: 60, pool: pool)
        self.local = local
    }

    static func startInProcess(_ configuration: ServerConfiguration) async throws -> TestServer {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.shutdownGraceSeconds = 0
        let logger = Logger(label: "understudy.testing", factory: { _ in SwiftLogNoOpLogHandler() })
        let pipeline: RequestPipeline
        let server: UnderstudyHTTPServer
        do {
            pipeline = try RequestPipeline(configuration: configuration, logger: logger)
            server = try await UnderstudyHTTPServer.start(pipeline: pipeline, settings: configuration.edgeSettings, logger: logger, threads: 1)
        } catch {
            throw HarnessError.cannotStart("\(error)")
        }
        return TestServer(endpoint: UpstreamEndpoint(scheme: .http, host: "127.0.0.1", port: server.port), local: (server, pipeline))
    }

    static func connect(_ url: String) async throws -> TestServer {
        guard let endpoint = UpstreamEndpoint(url: url), endpoint.scheme == .http else { throw HarnessError.invalidURL(url) }
        let server = TestServer(endpoint: endpoint, local: nil)
        do {
            _ = try await server.admin("GET", "health")
        } catch {
            await server.stop()
            throw HarnessError.notReachable(url, reason: "\(error)")
        }
        return server
    }

    func stop() async {
        let wasRunning = ended.withLock { ended in
            defer { ended = true }
            return !ended
        }
        guard wasRunning else { return }
        pool.closeAll()
        await local?.server.shutdown(grace: .zero)
        await local?.pipeline.finishRecordings(limit: .seconds(5))
    }

    private func checkRunning() throws(HarnessError) {
        if ended.withLock({ $0 }) { throw HarnessError.serverEnded }
    }

    // MARK: Requests

    /// Sends `request` signed with SigV4 for its service and answers whatever came back,
    /// errors included (see `TestResponse.succeeded()`).
    public func send(_ request: TestRequest) async throws -> TestResponse {
        try checkRunning()
        let parts = signed(request)
        let answer = try await client.send(method: parts.method, target: parts.target, headers: parts.headers, body: request.body)
        return TestResponse(status: answer.status, headers: answer.headers, body: answer.body)
    }

    /// Sends `request` and hands its body on part by part as it arrives (an event stream).
    func open(_ request: TestRequest) async throws -> (head: TestResponse, parts: UpstreamResponseBody.ByteParts) {
        try checkRunning()
        let parts = signed(request)
        let answer = try await client.streamResponse(method: parts.method, target: parts.target, headers: parts.headers, body: request.body)
        return (TestResponse(status: answer.head.status, headers: answer.head.headers, body: []), answer.body.byteParts)
    }

    /// Sends `request` and answers its event stream as it arrives; an error answer is thrown.
    public func events(_ request: TestRequest) async throws -> ServiceEvents {
        let (head, parts) = try await open(request)
        guard (200..<300).contains(head.status) else {
            var whole = head
            for try await part in parts { whole.body += part }
            throw AWSError(whole)
        }
        return ServiceEvents(parts: parts, status: head.status)
    }

    private func signed(_ request: TestRequest) -> (method: String, target: String, headers: [(name: String, value: String)]) {
        var parts = HTTPRequestParts(
            method: request.method, target: request.target,
            headers: [("Host", address.authority)] + request.headers.filter { $0.name.lowercased() != "host" })
        let signer = SigV4Signer(credentials: credentials, region: region, service: Self.signingName(request.service))
        let now = Int64(SystemClock().nowSeconds())
        signer.sign(&parts, amzDate: AWSTimestamp.amzDate(epochSeconds: now), payloadHash: Digest.sha256Hex(request.body))
        let query = parts.query.isEmpty ? "" : "?\(parts.query)"
        return (parts.method, parts.path + query, parts.headers)
    }

    /// The SigV4 scope's service: Bedrock's runtime signs as `bedrock`.
    static func signingName(_ service: AWSService) -> String {
        switch service {
        case .bedrockRuntime, .bedrock: return "bedrock"
        case .states: return "states"
        case .s3: return "s3"
        case .admin: return "understudy"
        }
    }

    // MARK: Admin

    /// The admin API's answer to `method` `/_understudy/<path>`: in process straight from the
    /// pipeline, live over HTTP. A refusal is thrown as an `AWSError`.
    func admin(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        try checkRunning()
        let bytes = body?.jsonBytes ?? []
        let headers: [(name: String, value: String)] = body == nil ? [] : [("Content-Type", "application/json")]
        let response: TestResponse
        if let local {
            let (path, query) = Self.split(path)
            let request = ServiceRequest(
                method: method, path: "/_understudy/\(path)", query: query, headers: [("Host", address.authority)] + headers, body: bytes,
                requestId: local.pipeline.nextRequestId(), service: .admin)
            let answer = await local.pipeline.respond(request)
            response = TestResponse(status: answer.status, headers: answer.headers, body: answer.body)
        } else {
            let answer = try await client.send(
                method: method, target: "/_understudy/\(path)", headers: [("Host", address.authority)] + headers, body: bytes)
            response = TestResponse(status: answer.status, headers: answer.headers, body: answer.body)
        }
        return try response.succeeded().json()
    }

    private static func split(_ path: String) -> (path: String, query: String) {
        guard let mark = path.firstIndex(of: "?") else { return (path, "") }
        return (String(path[..<mark]), String(path[path.index(after: mark)...]))
    }
}
