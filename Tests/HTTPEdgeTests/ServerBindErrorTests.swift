import JSONCore
import Logging
import NIOCore
import ServiceKit
import XCTest

@testable import HTTPEdge

/// A port already taken is reported with the address and the way out (`--port 0`), not as
/// NIO's `bind(descriptor:ptr:bytes:)` errno text.
final class ServerBindErrorTests: XCTestCase {
    func testATakenPortIsNamed() async throws {
        let pipeline = StubPipeline(clock: ManualClock(millis: 0)) { _ in .now(Reply(.document([:]))) }
        var settings = EdgeSettings(
            host: "127.0.0.1", port: 0, maxBodyBytes: 1024, headerTimeoutSeconds: 5, idleTimeoutSeconds: 5, maxConnections: 8,
            shutdownGraceSeconds: 0)
        let logger = Logger(label: "test")
        let first = try await UnderstudyHTTPServer.start(pipeline: pipeline, settings: settings, logger: logger, threads: 1)
        settings.port = first.port
        do {
            let second = try await UnderstudyHTTPServer.start(pipeline: pipeline, settings: settings, logger: logger, threads: 1)
            await second.shutdown(grace: .zero)
            XCTFail("bound a port already in use")
        } catch let error as ServerBindError {
            XCTAssertEqual(error.reason, .addressInUse)
            XCTAssertTrue(error.description.hasPrefix("127.0.0.1:\(first.port) is already in use"), error.description)
            XCTAssertTrue(error.description.contains("--port 0"), error.description)
        }
        await first.shutdown(grace: .zero)
    }

    func testDescriptions() {
        XCTAssertEqual(ServerBindError(host: "::1", port: 4566, reason: .addressInUse).address, "[::1]:4566")
        let errno = IOError(errnoCode: EACCES, reason: "bind(descriptor:ptr:bytes:)")
        XCTAssertEqual(ServerBindError(host: "0.0.0.0", port: 80, error: errno).reason, .permissionDenied)
        XCTAssertEqual(ServerBindError(host: "10.9.8.7", port: 1, error: IOError(errnoCode: EADDRNOTAVAIL, reason: "bind")).reason, .addressNotAvailable)
    }
}
