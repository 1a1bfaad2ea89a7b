import AWSWire
import HTTPEdge
import JSONCore
import Logging
import NIOCore
import NIOPosix
import ServiceKit
import XCTest

/// The edge on a real socket with nothing behind it but a stub `EdgePipeline`: what a request
/// becomes on its way in, and what the pipeline's reply becomes on its way out.
final class EdgeServingTests: XCTestCase {
    /// 2024-05-24T12:00:00Z, the Date every response here carries.
    private let clock = ManualClock(millis: 1_716_552_000_000)
    private let settings = EdgeSettings(
        host: "127.0.0.1", port: 0, maxBodyBytes: 16, headerTimeoutSeconds: 5, idleTimeoutSeconds: 5, maxConnections: 8,
        shutdownGraceSeconds: 1)

    private func serve(_ pipeline: StubPipeline, _ request: String) async throws -> String {
        let server = try await UnderstudyHTTPServer.start(pipeline: pipeline, settings: settings, logger: Logger(label: "test"), threads: 1)
        let response: String
        do {
            response = try await RawHTTPExchange.send(request, port: server.port, group: MultiThreadedEventLoopGroup.singleton)
        } catch {
            await server.shutdown(grace: .zero)
            throw error
        }
        await server.shutdown(grace: .zero)
        return response
    }

    private static let listStateMachines =
        "POST /?a=1 HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
        + "Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"

    func testARequestReachesThePipelineWholeAndItsReplyIsRendered() async throws {
        let pipeline = StubPipeline(clock: clock) { _ in .now(Reply(.document(["stateMachines": []]))) }
        let response = try await serve(pipeline, Self.listStateMachines)

        let request = try XCTUnwrap(pipeline.handled.first)
        XCTAssertEqual(pipeline.handled.count, 1)
        XCTAssertEqual(request.service, .states)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/")
        XCTAssertEqual(request.query, "a=1")
        XCTAssertEqual(request.header("x-amz-target"), "AWSStepFunctions.ListStateMachines")
        XCTAssertEqual(request.body, Array("{}".utf8))
        XCTAssertEqual(request.requestId, "request-1")

        // awsJson1_0, with the pipeline's request id and its clock's date.
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 200 OK\r\n"), response)
        XCTAssertTrue(response.contains("x-amzn-RequestId: request-1\r\n"), response)
        XCTAssertTrue(response.contains("Content-Type: application/x-amz-json-1.0\r\n"), response)
        XCTAssertTrue(response.contains("Date: Fri, 24 May 2024 12:00:00 GMT\r\n"), response)
        XCTAssertTrue(response.contains("Connection: close\r\n"), response)
        XCTAssertTrue(response.hasSuffix("\r\n\r\n{\"stateMachines\":[]}"), response)
    }

    func testWorkThatWaitsIsAnsweredWhenItIsDone() async throws {
        let pipeline = StubPipeline(clock: clock) { _ in
            .later {
                try? await Task.sleep(nanoseconds: 20_000_000)
                return Reply(.failure(AWSServiceError(code: "ExecutionDoesNotExist", message: "gone", status: 400, namespace: "ns")))
            }
        }
        let response = try await serve(pipeline, Self.listStateMachines)
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), response)
        XCTAssertTrue(response.hasSuffix(#"{"__type":"ns#ExecutionDoesNotExist","message":"gone"}"#), response)
    }

    func testABodyOverTheLimitIsRefusedBeforeThePipelineSeesIt() async throws {
        let pipeline = StubPipeline(clock: clock) { _ in .now(Reply(.document([:]))) }
        let body = String(repeating: "x", count: settings.maxBodyBytes + 1)
        let response = try await serve(
            pipeline,
            "POST /model/m/invoke HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")

        XCTAssertTrue(pipeline.handled.isEmpty)
        XCTAssertEqual(pipeline.refused.count, 1)
        XCTAssertEqual(pipeline.refused.first?.name, "RequestTooLarge")
        XCTAssertEqual(pipeline.refused.first?.status, 413)
        XCTAssertEqual(pipeline.refused.first?.request.service, .bedrockRuntime)
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"), response)
        XCTAssertTrue(response.contains("x-amzn-ErrorType: RequestEntityTooLargeException"), response)
        XCTAssertTrue(response.contains("Connection: close\r\n"), response)
    }
    /// NIO's decoder refuses these heads before any handler sees a request; its own error
    /// handler wrote a bare 400 (no body, no request id) that no SDK can name. Found by the
    /// HTTP probe (issue 19).
    func testAHeadTheDecoderRefusesIsAnsweredInItsServicesShape() async throws {
        let pipeline = StubPipeline(clock: clock) { _ in .now(Reply(.document([:]))) }
        let big = String(repeating: "a", count: 100_000)
        let tooLarge = try await serve(pipeline, "GET /bucket/key HTTP/1.1\r\nHost: localhost\r\nx-amz-meta-big: \(big)\r\n\r\n")
        XCTAssertTrue(tooLarge.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), tooLarge)
        XCTAssertTrue(tooLarge.contains("x-amz-request-id: request-1\r\n"), tooLarge)
        XCTAssertTrue(tooLarge.contains("Connection: close\r\n"), tooLarge)
        XCTAssertTrue(tooLarge.contains("<Code>RequestHeaderSectionTooLarge</Code>"), tooLarge)
        XCTAssertTrue(tooLarge.contains("<Resource>/bucket/key</Resource><RequestId>request-1</RequestId></Error>"), tooLarge)

        let control = try await serve(
            pipeline,
            "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\nX-Bad: a\u{1}b\r\n\r\n")
        XCTAssertTrue(control.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), control)
        XCTAssertTrue(control.contains("x-amzn-RequestId: request-2\r\n"), control)
        XCTAssertTrue(control.hasSuffix(#"{"__type":"com.amazon.coral.service#BadRequestException","message":"An error occurred when parsing the HTTP request."}"#), control)

        XCTAssertTrue(pipeline.handled.isEmpty)
        XCTAssertEqual(pipeline.refused.map(\.name), ["MalformedRequest", "MalformedRequest"])
        XCTAssertEqual(pipeline.refused.map(\.request.service), [.s3, .states])
    }
    /// A CONNECT is a proxy's method: the service refuses it like any method it does not serve,
    /// and the answer keeps its length and body (NIO frames a CONNECT's answer bodiless when its
    /// decoder and encoder are paired). The decoder reads nothing after a CONNECT, so the
    /// connection closes rather than leave the next request unanswered.
    func testAConnectIsRefusedWithABodyAndTheConnectionCloses() async throws {
        let pipeline = StubPipeline(clock: clock) { _ in .now(.failure(ServiceErrors.unknownOperation(.s3))) }
        let response = try await serve(pipeline, "CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\nGET /b/k HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"), response)
        XCTAssertTrue(response.contains("Connection: close\r\n"), response)
        XCTAssertTrue(response.contains("<Code>MethodNotAllowed</Code>"), response)
        XCTAssertTrue(response.contains("Content-Length: "), response)
        XCTAssertTrue(response.hasSuffix("</Error>"), response)
        XCTAssertEqual(pipeline.handled.map(\.method), ["CONNECT"])
    }
    /// RFC 9112 §3.2: a request with two Host headers is answered 400. Serving it let a proxy in
    /// front and the service each read a different host.
    func testTwoHostHeadersAreRefusedBeforeThePipelineSeesThem() async throws {
        let pipeline = StubPipeline(clock: clock) { _ in .now(Reply(.document([:]))) }
        let response = try await serve(pipeline, "GET /bucket/key HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n")
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), response)
        XCTAssertTrue(response.contains("Connection: close\r\n"), response)
        XCTAssertTrue(response.contains("<Code>BadRequest</Code>"), response)
        XCTAssertTrue(pipeline.handled.isEmpty)
        XCTAssertEqual(pipeline.refused.map(\.name), ["MalformedRequest"])
    }
}
