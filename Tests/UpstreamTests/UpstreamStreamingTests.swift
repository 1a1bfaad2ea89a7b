import Foundation
import NIOCore
import XCTest

@testable import Upstream

/// `streamResponse` over TLS against a raw `openssl s_server` whose every byte the test writes
/// when it chooses: the head reaches the caller before any body exists, and each piece before
/// the next is even written, so a client that buffered would time out instead of passing.
final class UpstreamStreamingTests: XCTestCase {
    override func setUp() {
        signal(SIGPIPE, SIG_IGN)
    }

    func testChunkedPiecesArriveBeforeTheNextIsSent() async throws {
        try await withTestDeadline(seconds: 30) {
            let (server, client) = try start()
            let body = Array(#"{"inputText":"hi"}"#.utf8)
            async let opened = client.streamResponse(
                method: "POST", target: "/model/m/invoke-with-response-stream", headers: [("Content-Type", "application/json")], body: body)
            let requestArrived = await server.waitForOutput(containing: #"{"inputText":"hi"}"#)
            XCTAssertTrue(requestArrived, server.output)
            XCTAssertTrue(server.output.contains("POST /model/m/invoke-with-response-stream HTTP/1.1\r\n"), server.output)
            XCTAssertTrue(server.output.contains("Content-Length: 18\r\n"), server.output)

            try server.send("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\nTransfer-Encoding: chunked\r\n\r\n")
            let response = try await opened  // only the head exists yet
            XCTAssertEqual(response.head.status, 200)
            XCTAssertEqual(response.head.header("content-type"), "application/vnd.amazon.eventstream")
            XCTAssertEqual(response.head.header("Transfer-Encoding"), "chunked")

            var parts = response.body.makeAsyncIterator()
            try server.send("5\r\nfirst\r\n")
            let first = try await parts.next()
            XCTAssertEqual(first.map { String(buffer: $0) }, "first")
            try await Task.sleep(for: .milliseconds(100))
            try server.send("6\r\nsecond\r\n")
            let second = try await parts.next()
            XCTAssertEqual(second.map { String(buffer: $0) }, "second")
            try server.send("4\r\nlast\r\n0\r\n\r\n")
            var rest = ""
            while let part = try await parts.next() { rest += String(buffer: part) }
            XCTAssertEqual(rest, "last")
        }
    }

    func testContentLengthBodyInPieces() async throws {
        try await withTestDeadline(seconds: 30) {
            let (server, client) = try start()
            async let opened = client.streamResponse(method: "GET", target: "/object", headers: [], body: [])
            _ = await server.waitForOutput(containing: "GET /object")
            try server.send("HTTP/1.1 200 OK\r\nContent-Length: 9\r\nETag: \"e\"\r\n\r\nfirst")
            let response = try await opened
            XCTAssertEqual(response.head.header("Content-Length"), "9")
            var parts = response.body.makeAsyncIterator()
            let first = try await parts.next()
            XCTAssertEqual(first.map { String(buffer: $0) }, "first")
            try server.send("last")
            let last = try await parts.next()
            XCTAssertEqual(last.map { String(buffer: $0) }, "last")
            let end = try await parts.next()
            XCTAssertNil(end)
        }
    }

    /// A consumer that falls behind holds the upstream back instead of timing it out: it stops
    /// for longer than the 1 s timeout in the middle of 3 MiB, and still gets every byte.
    func testSlowConsumerHoldsTheUpstreamBack() async throws {
        try await withTestDeadline(seconds: 30) {
            let certificates = try TestCertificates()
            let line = String(repeating: "0123456789abcdef", count: 4) + "\n"
            let large = String(repeating: line, count: 3 * 1024 * 1024 / line.utf8.count)
            try certificates.write(large, to: "large.txt")
            let server = try OpenSSLServer(certificates, certificate: certificates.server, arguments: ["-WWW"])
            let client = UpstreamHTTPClient(
                endpoint: UpstreamEndpoint(scheme: .https, host: "localhost", port: server.port),
                tls: try TLSClientContext(extraCAFile: certificates.caFile), timeoutSeconds: 1)
            let response = try await client.streamResponse(method: "GET", target: "/large.txt", headers: [], body: [])
            var received: [UInt8] = []
            var paused = false
            for try await part in response.body {
                received += part.readableBytesView
                if !paused, received.count > 64 * 1024 {
                    paused = true
                    try await Task.sleep(for: .milliseconds(1500))
                }
            }
            XCTAssertTrue(paused)
            XCTAssertTrue(received.elementsEqual(large.utf8), "\(received.count) of \(large.utf8.count) bytes")
        }
    }

    func testStallAfterTheHeadTimesOut() async throws {
        try await withTestDeadline(seconds: 30) {
            let (server, client) = try start(timeoutSeconds: 1)
            async let opened = client.streamResponse(method: "GET", target: "/slow", headers: [], body: [])
            _ = await server.waitForOutput(containing: "GET /slow")
            try server.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n")
            let response = try await opened
            let started = ContinuousClock.now
            do {
                for try await _ in response.body {}
                XCTFail("a stalled body ended")
            } catch let failure as UpstreamFailure {
                XCTAssertEqual(failure.kind, .timeout)
                XCTAssertTrue(failure.description.contains("no data from localhost:\(server.port) for 1 s"), failure.description)
            }
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(4))
        }
    }

    func testNoAnswerTimesOut() async throws {
        try await withTestDeadline(seconds: 30) {
            let (server, client) = try start(timeoutSeconds: 1)
            let started = ContinuousClock.now
            do {
                _ = try await client.streamResponse(method: "GET", target: "/never", headers: [], body: [])
                XCTFail("no answer, yet a head")
            } catch let error as UpstreamFailure {
                XCTAssertEqual(error.kind, .timeout)
                XCTAssertTrue(error.description.contains("no answer from localhost:\(server.port) within 1 s"), error.description)
            }
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(4))
        }
    }

    /// `send` wants the whole answer within the timeout, however lively the upstream is.
    func testBufferedSendKeepsItsDeadline() async throws {
        try await withTestDeadline(seconds: 30) {
            let (server, client) = try start(timeoutSeconds: 1)
            let trickle = Task {
                guard await server.waitForOutput(containing: "GET /trickle") else { return }
                try server.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                for _ in 0..<10 {
                    try server.send("1\r\n.\r\n")
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
            defer { trickle.cancel() }
            do {
                let response = try await client.send(method: "GET", target: "/trickle", headers: [], body: [])
                XCTFail("a 3 s answer within a 1 s deadline: \(response.body.count) bytes")
            } catch let error as UpstreamFailure {
                XCTAssertEqual(error.kind, .timeout)
                XCTAssertTrue(error.description.contains("did not end within 1 s"), error.description)
            }
        }
    }

    /// A consumer that stops (its client went away) must not leave the upstream connection
    /// open: dropping the body unread, or leaving the loop after a part, closes it at once,
    /// long before the 30 s idle timeout would.
    func testAbandonedBodyClosesTheConnection() async throws {
        try await withTestDeadline(seconds: 30) {
            for readsOnePart in [false, true] {
                let (server, client) = try start(timeoutSeconds: 30)
                let feeder = Task {
                    guard await server.waitForOutput(containing: "GET /drop") else { return }
                    try server.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n")
                }
                let status = try await openThenAbandon(client, readingOnePart: readsOnePart)
                try await feeder.value
                XCTAssertEqual(status, 200)
                // s_server prints DONE when its client closes the connection.
                let closed = await server.waitForOutput(containing: "DONE", seconds: 5)
                XCTAssertTrue(closed, "reads one part: \(readsOnePart)\n\(server.output)")
            }
        }
    }
}

/// A raw s_server with the test CA's `localhost` certificate, and a client that trusts it.
private func start(timeoutSeconds: Int64 = 5) throws -> (OpenSSLServer, UpstreamHTTPClient) {
    let certificates = try TestCertificates()
    let server = try OpenSSLServer(certificates, certificate: certificates.server)
    let client = UpstreamHTTPClient(
        endpoint: UpstreamEndpoint(scheme: .https, host: "localhost", port: server.port),
        tls: try TLSClientContext(extraCAFile: certificates.caFile), timeoutSeconds: timeoutSeconds)
    return (server, client)
}

private func openThenAbandon(_ client: UpstreamHTTPClient, readingOnePart: Bool) async throws -> Int {
    let response = try await client.streamResponse(method: "GET", target: "/drop", headers: [], body: [])
    if readingOnePart {
        for try await part in response.body {
            XCTAssertEqual(String(buffer: part), "one")
            break
        }
    }
    return response.head.status
}
