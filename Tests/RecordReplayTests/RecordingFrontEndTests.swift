import AWSWire
import Forwarding
import Foundation
import JSONCore
import Locking
import RecordReplay
import Recording
import ServiceKit
import XCTest

/// The recorder with an in-process upstream: what it forwards, what it keeps, and how the same
/// cassette answers in replay.
final class RecordingFrontEndTests: XCTestCase {
    /// Stands in for the emulator: names InvokeModel and answers a fixed document.
    struct Emulator: ServiceFrontEnd {
        var service: AWSService { .bedrockRuntime }
        var servedOperations: [String] { ["InvokeModel"] }
        func operation(for request: ServiceRequest) -> ServiceCall {
            ServiceCall(service: .bedrockRuntime, name: "InvokeModel", origin: .http, request: request, model: "m")
        }
        func handle(_ operation: ServiceCall) -> Handling { .now(Reply(.document(["emulated": true]))) }
    }

    /// An upstream that answers every call with `status` and `body` in two parts, and notes the
    /// requests it got.
    final class Upstream: UpstreamTransport {
        let status: Int
        let body: [UInt8]
        let headers: [(name: String, value: String)]
        let sent = Locked<[[(name: String, value: String)]]>([])

        init(status: Int = 200, body: String, headers: [(name: String, value: String)] = [("Content-Type", "application/json")]) {
            self.status = status
            self.body = Array(body.utf8)
            self.headers = headers + [("x-amzn-RequestId", "upstream-request-1")]
        }

        func send(_ request: ForwardedRequest) async throws -> LiveResponse {
            sent.withLock { $0.append(request.headers) }
            let parts = [Array(body.prefix(body.count / 2)), Array(body.dropFirst(body.count / 2))]
            return LiveResponse(status: status, headers: headers, contentLength: body.count, body: LiveBody(parts: parts))
        }
    }

    var directory = ""

    override func setUp() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("recorder-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func book(writes: Bool) throws -> ReplayBook {
        let cassette = try Cassette.load(from: directory, allowMissing: true)
        return ReplayBook(cassette: cassette, writer: writes ? try CassetteWriter(directory: directory, redactor: Redactor()) : nil)
    }

    func frontEnd(_ role: RecordingFrontEnd.Role, book: ReplayBook, upstream: Upstream?) throws -> RecordingFrontEnd {
        let credentials = AWSCredentials(accessKeyId: "AKIAUPSTREAMEXAMPLE1", secretAccessKey: "upstream-secret", sessionToken: nil, source: .supplied)
        let forwarder = RequestForwarder(
            endpoints: UpstreamEndpoints(all: try UpstreamEndpoint(url: "http://127.0.0.1:9")),
            credentials: CredentialChain(fixed: credentials, environment: .system()), now: { 1_700_000_000 })
        return RecordingFrontEnd(
            emulator: Emulator(), role: role, book: book, forwarder: forwarder, transport: upstream, timeScale: { 0 }, now: { 1_700_000_000_000 },
            report: { XCTFail($0) })
    }

    func call(_ text: String, origin: ServiceCall.Origin = .http) -> ServiceCall {
        let body = Array(#"{"prompt":"\#(text)"}"#.utf8)
        let request = ServiceRequest(
            method: "POST", path: "/model/m/invoke", query: "",
            headers: [("Content-Type", "application/json"), ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDCLIENT/20240101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=abc")],
            body: body, requestId: "r1", service: .bedrockRuntime, caller: Caller(account: "000000000000", region: "us-east-1", accessKeyId: "AKIDCLIENT"))
        return ServiceCall(service: .bedrockRuntime, name: "InvokeModel", origin: origin, request: request, model: "m")
    }

    func bytes(of reply: Reply) async throws -> (status: Int, body: [UInt8]) {
        switch reply.outcome {
        case .live(let live): return (live.status, try await live.collected())
        case .raw(let response): return (response.status, response.body)
        default: XCTFail("unexpected \(reply.outcome)"); return (0, [])
        }
    }

    func waitForRecording(_ count: Int) async throws {
        for _ in 0..<200 where (try? Cassette.indexOnly(in: directory).entries.count) != count { try await Task.sleep(for: .milliseconds(5)) }
        XCTAssertEqual(try Cassette.indexOnly(in: directory).entries.count, count)
    }

    func testRecordsWhatPassesAndReplaysTheSameBytes() async throws {
        let upstream = Upstream(body: #"{"completion":"recorded answer"}"#)
        let recorder = try frontEnd(.record, book: try book(writes: true), upstream: upstream)
        let recorded = try await bytes(of: await recorder.handle(call("hi")).reply())
        XCTAssertEqual(recorded.status, 200)
        XCTAssertEqual(String(decoding: recorded.body, as: UTF8.self), #"{"completion":"recorded answer"}"#)
        let forwarded = try XCTUnwrap(upstream.sent.withLock { $0.first })
        let authorization = try XCTUnwrap(forwarded.first { $0.name.lowercased() == "authorization" }?.value)
        XCTAssertTrue(authorization.contains("Credential=AKIAUPSTREAMEXAMPLE1/"), "re-signed with the recorder's credentials: \(authorization)")
        try await waitForRecording(1)

        let replayer = try frontEnd(.replay(miss: .error), book: try book(writes: false), upstream: nil)
        let replayed = replayer.handle(call("hi"))
        guard case .now(let reply) = replayed, case .raw(let response) = reply.outcome else { return XCTFail("replay answers at once: \(replayed)") }
        XCTAssertEqual(response.body, recorded.body)
        XCTAssertEqual(response.header("x-amzn-RequestId"), "upstream-request-1")
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            XCTAssertFalse(text.contains("Signature=") || text.contains("AKIDCLIENT") || text.contains("upstream-secret"), file)
        }
    }

    func testAMissNamesTheNearestRecordingOrGoesToTheEmulator() async throws {
        let recorder = try frontEnd(.record, book: try book(writes: true), upstream: Upstream(body: #"{"a":1}"#))
        _ = try await bytes(of: await recorder.handle(call("hi")).reply())
        try await waitForRecording(1)
        let strict = try frontEnd(.replay(miss: .error), book: try book(writes: false), upstream: nil)
        guard case .now(let reply) = strict.handle(call("bye")), case .failure(let error, _) = reply.outcome else { return XCTFail() }
        XCTAssertEqual(error.code, "UnderstudyNoRecording")
        XCTAssertEqual(error.status, 400)
        XCTAssertTrue(error.message?.contains("body.prompt") ?? false, error.message ?? "")
        let lenient = try frontEnd(.replay(miss: .emulate), book: try book(writes: false), upstream: nil)
        guard case .now(let emulated) = lenient.handle(call("bye")), case .document(let value, _) = emulated.outcome else { return XCTFail() }
        XCTAssertEqual(value["emulated"], true)
    }

    func testATaskReadsARecordedErrorAsTheServicesError() async throws {
        let throttled = Upstream(
            status: 429, body: #"{"message":"Too many requests, please wait before trying again."}"#,
            headers: [("Content-Type", "application/json"), ("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")])
        let recorder = try frontEnd(.record, book: try book(writes: true), upstream: throttled)
        let reply = await recorder.handle(call("hi", origin: .task)).reply()
        guard case .failure(let error, _) = reply.outcome else { return XCTFail("\(reply.outcome)") }
        XCTAssertEqual(error.code, "ThrottlingException")
        XCTAssertEqual(error.status, 429)
        XCTAssertEqual(error.message, "Too many requests, please wait before trying again.")
        // The error is what the service said to this request: it is recorded too.
        try await waitForRecording(1)
    }

    func testAnUnreachableUpstreamIsARetryable503() async throws {
        struct Down: UpstreamTransport {
            func send(_ request: ForwardedRequest) async throws -> LiveResponse { throw CancellationError() }
        }
        let credentials = AWSCredentials(accessKeyId: "AKIAUPSTREAMEXAMPLE1", secretAccessKey: "s", sessionToken: nil, source: .supplied)
        let recorder = RecordingFrontEnd(
            emulator: Emulator(), role: .record, book: try book(writes: true),
            forwarder: RequestForwarder(
                endpoints: UpstreamEndpoints(all: try UpstreamEndpoint(url: "http://127.0.0.1:9")),
                credentials: CredentialChain(fixed: credentials, environment: .system()), now: { 1_700_000_000 }),
            transport: Down(), timeScale: { 0 }, now: { 0 }, report: { _ in })
        guard case .failure(let error, _) = await recorder.handle(call("hi")).reply().outcome else { return XCTFail() }
        XCTAssertEqual(error.status, 503)
        XCTAssertEqual(error.code, "ServiceUnavailableException")
    }
}
