import Forwarding
import RecordReplay
import Upstream

/// The recorder's way to real AWS: `Upstream`'s HTTP client.
struct UpstreamClientTransport: UpstreamTransport {
    let caFile: String?
    let insecureSkipVerify: Bool

    func send(_ request: ForwardedRequest) async throws -> UpstreamAnswer {
        guard request.endpoint.scheme == .http else { throw UpstreamHTTPClient.Failure(description: "https upstreams are not supported yet") }
        let client = UpstreamHTTPClient(host: request.endpoint.host, port: request.endpoint.effectivePort)
        let response = try await client.send(method: request.method, target: request.target, headers: request.headers, body: request.body)
        let body = response.body
        let stream = AsyncThrowingStream<[UInt8], any Error> { continuation in
            if !body.isEmpty { continuation.yield(body) }
            continuation.finish()
        }
        let length = response.header("Content-Length").flatMap(Int.init)
        return UpstreamAnswer(status: response.status, headers: response.headers, contentLength: length ?? body.count, body: stream)
    }
}
