import AWSWire
import JSONCore
import ServiceKit
@testable import UnderstudyServer

/// Drives a `RequestPipeline` in process with the server's own types, signing requests the
/// way an SDK would (the "router" transport; the interop suite is the live one).
struct PipelineHarness {
    let pipeline: RequestPipeline
    let clock: ManualClock

    init(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration()
        configure(&configuration)
        clock = ManualClock(millis: 1_716_552_000_000)
        pipeline = try RequestPipeline(configuration: configuration, clock: clock)
    }

    func send(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = [],
        sign: (credentials: SigV4Credentials, region: String, service: String)? = nil, signedAt: Int64? = nil
    ) async -> AWSResponse {
        var parts = HTTPRequestParts(method: method, target: target, headers: [("Host", "localhost:4566")] + headers.map { ($0.0, $0.1) })
        if let sign {
            let signer = SigV4Signer(credentials: sign.credentials, region: sign.region, service: sign.service)
            signer.sign(&parts, amzDate: AWSTimestamp.amzDate(epochSeconds: signedAt ?? clock.nowSeconds()), payloadHash: Digest.sha256Hex(body))
        }
        let service = pipeline.identify(method: method, path: parts.path, query: parts.query, header: parts.header)
        let request = ServiceRequest(
            method: method, path: parts.path, query: parts.query, headers: parts.headers, body: body,
            requestId: pipeline.nextRequestId(), service: service)
        return await pipeline.respond(request)
    }
}

extension AWSResponse {
    var json: JSONValue? { try? JSONParser.parse(body) }
    var text: String { String(decoding: body, as: UTF8.self) }
}
