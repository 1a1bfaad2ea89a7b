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
/// admin API without a socket. In memory there is no socket at all: requests go through the
/// same pipeline and come back as the edge would write them (`DeliveredAnswer`), as
/// Hummingbird's `.router` tests skip the network. Live, everything goes over HTTP. Either
/// way the JSON is the admin API's.
public final class TestServer: Sendable {
    /// The base URL for SDKs (`AWS_ENDPOINT_URL`, Soto, aws-sdk-swift, URLSession). An
    /// in-memory server has no socket; its endpoint names no reachable host.
    public let endpoint: String
    /// The identity requests are signed as; any key works unless the server is strict.
    public let credentials: SigV4Credentials
    public let region: String

    /// How requests reach the server.
    private enum Transport: Sendable {
        /// HTTP to `address`; `server` is the in-process server listening there, if any.
        case socket(address: UpstreamEndpoint, client: UpstreamHTTPClient, pool: UpstreamConnectionPool, server: UnderstudyHTTPServer?)
        /// Straight into the pipeline.
        case memory
    }

    private let transport: Transport
    /// The server's pipeline when it runs in this process: its admin API without a socket,
    /// and its clock, which signs requests.
    private let local: RequestPipeline?
    private let ended = Locked(false)

    /// The `Host` of requests that cross no socket: what a client of the default port sends.
    static let memoryHost = "localhost:4566"

    /// The key pair tests sign with by default, AWS's documented example.
    public static let exampleCredentials = SigV4Credentials(
        accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    private init(endpoint: String, transport: Transport, local: RequestPipeline?) {
        self.endpoint = endpoint
        credentials = Self.exampleCredentials
        region = "us-east-1"
        self.transport = transport
        self.local = local
    }

    private static func socket(_ endpoint: UpstreamEndpoint, server: UnderstudyHTTPServer?) -> Transport {
        let pool = UpstreamConnectionPool()
        return .socket(address: endpoint, client: UpstreamHTTPClient(endpoint: endpoint, timeoutSeconds: 60, pool: pool), pool: pool, server: server)
    }

    private static let quietLogger = Logger(label: "understudy.testing", factory: { _ in SwiftLogNoOpLogHandler() })

    static func startInProcess(_ configuration: ServerConfiguration) async throws -> TestServer {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.shutdownGraceSeconds = 0
        let pipeline: RequestPipeline
        let server: UnderstudyHTTPServer
        do {
            pipeline = try RequestPipeline(configuration: configuration, logger: quietLogger)
            server = try await UnderstudyHTTPServer.start(pipeline: pipeline, settings: configuration.edgeSettings, logger: quietLogger, threads: 1)
        } catch {
            throw HarnessError.cannotStart("\(error)")
        }
        let address = UpstreamEndpoint(scheme: .http, host: "127.0.0.1", port: server.port)
        return TestServer(endpoint: "http://\(address.authority)", transport: socket(address, server: server), local: pipeline)
    }

    static func startInMemory(_ configuration: ServerConfiguration, clock: any ServerClock) throws -> TestServer {
        do {
            let pipeline = try RequestPipeline(configuration: configuration, clock: clock, logger: quietLogger)
            return TestServer(endpoint: "memory://understudy.invalid", transport: .memory, local: pipeline)
        } catch {
            throw HarnessError.cannotStart("\(error)")
        }
    }

    static func connect(_ url: String) async throws -> TestServer {
        guard let address = UpstreamEndpoint(url: url), address.scheme == .http else { throw HarnessError.invalidURL(url) }
        let server = TestServer(endpoint: "http://\(address.authority)", transport: socket(address, server: nil), local: nil)
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
        if case .socket(_, _, let pool, let server) = transport {
            pool.closeAll()
            await server?.shutdown(grace: .zero)
        }
        await local?.finishRecordings(limit: .seconds(5))
    }

    private func checkRunning() throws(HarnessError) {
        if ended.withLock({ $0 }) { throw HarnessError.serverEnded }
    }

    // MARK: Requests

    /// Sends `request`, signed as its `signing` says, and answers whatever came back, errors
    /// included (see `TestResponse.succeeded()`).
    public func send(_ request: TestRequest) async throws -> TestResponse {
        // Over a socket, whole, within the client's timeout.
        if case .socket(_, let client, _, _) = transport {
            try checkRunning()
            let parts = signed(request)
            let answer = try await client.send(method: parts.method, target: parts.target, headers: parts.headers, body: request.body)
            return TestResponse(status: answer.status, headers: answer.headers, body: answer.body)
        }
        let (head, parts) = try await open(request)
        var whole = head
        do {
            for try await part in parts { whole.body += part }
        } catch {
            throw HarnessError.translating(error)
        }
        return whole
    }

    /// Sends `request` and hands its body on part by part as it arrives (an event stream).
    func open(_ request: TestRequest) async throws -> (head: TestResponse, parts: LiveBody) {
        try checkRunning()
        let parts = signed(request)
        switch transport {
        case .socket(_, let client, _, _):
            let answer = try await client.streamResponse(method: parts.method, target: parts.target, headers: parts.headers, body: request.body)
            return (TestResponse(status: answer.head.status, headers: answer.head.headers, body: []), LiveBody(answer.body.byteParts))
        case .memory:
            let answer: DeliveredAnswer
            do {
                answer = try await deliver(parts.method, parts.target, headers: parts.headers, body: request.body, service: nil)
            } catch {
                throw HarnessError.translating(error)
            }
            return (TestResponse(status: answer.status, headers: answer.headers, body: []), LiveBody(answer.body))
        }
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

    /// A request through the local pipeline with no socket, identified as the edge would
    /// unless `service` says what it is.
    private func deliver(
        _ method: String, _ target: String, headers: [(name: String, value: String)], body: [UInt8], service: AWSService?
    ) async throws -> DeliveredAnswer {
        guard let local else { throw HarnessError.serverEnded }
        let parts = HTTPRequestParts(method: method, target: target, headers: headers.map { ($0.name, $0.value) })
        let request = ServiceRequest(
            method: method, path: parts.path, query: parts.query, headers: parts.headers, body: body, requestId: local.nextRequestId(),
            service: service ?? local.identify(method: method, path: parts.path, query: parts.query, header: parts.header))
        return try await local.respond(request)
    }

    private var host: String {
        if case .socket(let address, _, _, _) = transport { return address.authority }
        return Self.memoryHost
    }

    private func signed(_ request: TestRequest) -> (method: String, target: String, headers: [(name: String, value: String)]) {
        // A Host the test gives (a virtual-hosted bucket, another origin) stands.
        let hasHost = request.headers.contains { $0.name.lowercased() == "host" }
        var parts = HTTPRequestParts(method: request.method, target: request.target, headers: (hasHost ? [] : [("Host", host)]) + request.headers)
        let signature: (credentials: SigV4Credentials, region: String, scope: String, at: Int64?)?
        switch request.signing {
        case .server: signature = (credentials, region, Self.signingName(request.service), nil)
        case .unsigned: signature = nil
        case .signed(let credentials, let region, let scope, let epochSeconds):
            signature = (credentials, region ?? self.region, scope ?? Self.signingName(request.service), epochSeconds)
        }
        if let signature {
            // The server checks the signature's time against its own clock.
            let now = signature.at ?? (local?.clock ?? SystemClock()).nowSeconds()
            let signer = SigV4Signer(credentials: signature.credentials, region: signature.region, service: signature.scope)
            signer.sign(&parts, amzDate: AWSTimestamp.amzDate(epochSeconds: now), payloadHash: Digest.sha256Hex(request.body))
        }
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
        let headers: [(name: String, value: String)] = [("Host", host)] + (body == nil ? [] : [("Content-Type", "application/json")])
        let response: TestResponse
        switch transport {
        case .socket(_, let client, _, _) where local == nil:
            let answer = try await client.send(method: method, target: "/_understudy/\(path)", headers: headers, body: bytes)
            response = TestResponse(status: answer.status, headers: answer.headers, body: answer.body)
        default:
            let answer = try await deliver(method, "/_understudy/\(path)", headers: headers, body: bytes, service: .admin)
            response = TestResponse(status: answer.status, headers: answer.headers, body: try await answer.collected())
        }
        return try response.succeeded().json()
    }
}
