import NIOCore
import XCTest

@testable import Upstream

/// A pooled client keeps its connection between calls and dials again when the kept one turns
/// out to be closed; without a pool, each call has its own connection.
final class UpstreamConnectionPoolTests: XCTestCase {
    func testCallsInTurnShareOneConnection() async throws {
        try await withTestDeadline(seconds: 30) {
            let server = try await KeepAliveServer()
            let pool = UpstreamConnectionPool()
            let client = UpstreamHTTPClient(endpoint: UpstreamEndpoint(scheme: .http, host: "127.0.0.1", port: server.port), pool: pool)
            var answers: [String] = []
            for _ in 0..<3 { answers.append(try await Self.body(of: client)) }
            XCTAssertEqual(answers, ["1-1", "1-2", "1-3"])
            XCTAssertEqual(server.connections, 1)
            pool.closeAll()
            await server.close()
        }
    }

    func testKeptConnectionClosedUnderTheCallIsDialledAgain() async throws {
        try await withTestDeadline(seconds: 30) {
            let server = try await KeepAliveServer(closesReusedConnections: true)
            let pool = UpstreamConnectionPool()
            let client = UpstreamHTTPClient(endpoint: UpstreamEndpoint(scheme: .http, host: "127.0.0.1", port: server.port), pool: pool)
            let first = try await Self.body(of: client)
            let second = try await Self.body(of: client)
            XCTAssertEqual([first, second], ["1-1", "2-1"])
            XCTAssertEqual(server.connections, 2)
            XCTAssertEqual(server.requests, 3, "the second call went on the kept connection, then on a new one")
            pool.closeAll()
            await server.close()
        }
    }

    func testWithoutAPoolEachCallHasItsOwnConnection() async throws {
        try await withTestDeadline(seconds: 30) {
            let server = try await KeepAliveServer()
            let client = UpstreamHTTPClient(endpoint: UpstreamEndpoint(scheme: .http, host: "127.0.0.1", port: server.port))
            let answers = [try await Self.body(of: client), try await Self.body(of: client)]
            XCTAssertEqual(answers, ["1-1", "2-1"])
            await server.close()
        }
    }

    private static func body(of client: UpstreamHTTPClient) async throws -> String {
        let response = try await client.streamResponse(method: "GET", target: "/", headers: [], body: [])
        return String(decoding: try await response.body.collect(), as: UTF8.self)
    }
}
