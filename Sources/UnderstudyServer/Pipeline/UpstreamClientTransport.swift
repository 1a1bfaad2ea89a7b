import Forwarding
import Foundation
import RecordReplay
import ServiceKit
import Upstream

/// The recorder's way to real AWS: `Upstream`'s HTTP client (TLS through the system OpenSSL,
/// verified against the trust store plus `recording.caFile`; `HTTPS_PROXY` honoured), its
/// answer handed on as it arrives. Connections to each upstream are kept alive between
/// calls, so a forwarded call does not wait for a new TCP and TLS handshake.
struct UpstreamClientTransport: UpstreamTransport {
    let tls: TLSClientContext
    let proxy: UpstreamProxy?
    let pool = UpstreamConnectionPool()

    init(caFile: String?, insecureSkipVerify: Bool) throws {
        do {
            tls = try TLSClientContext(extraCAFile: caFile, insecureSkipVerify: insecureSkipVerify)
        } catch {
            throw ConfigurationError("recording.caFile: \(error)")
        }
        do {
            proxy = try UpstreamProxy.fromEnvironment(ProcessInfo.processInfo.environment)
        } catch {
            throw ConfigurationError("HTTPS_PROXY: \(error)")
        }
    }

    func send(_ request: ForwardedRequest) async throws -> LiveResponse {
        let endpoint = Upstream.UpstreamEndpoint(
            scheme: request.endpoint.scheme == .https ? .https : .http, host: request.endpoint.host, port: request.endpoint.effectivePort)
        let client = UpstreamHTTPClient(endpoint: endpoint, tls: tls, proxy: proxy, pool: pool)
        let response = try await client.streamResponse(method: request.method, target: request.target, headers: request.headers, body: request.body)
        let body = LiveBody(response.body.byteParts)
        let length = response.head.header("Content-Length").flatMap(Int.init)
        return LiveResponse(status: response.head.status, headers: response.head.headers, contentLength: length, body: body)
    }
}
