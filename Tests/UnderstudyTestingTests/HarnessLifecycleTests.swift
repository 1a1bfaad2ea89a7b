import AWSWire
import Foundation
import JSONCore
import UnderstudyServer
import UnderstudyTesting
import XCTest

/// Starting, stopping and misuse: each a plain thrown error, nothing left behind.
final class HarnessLifecycleTests: XCTestCase {
    func testAServerUsedAfterItsClosureThrows() async throws {
        let kept = try await Understudy.withServer { $0 }
        do {
            _ = try await kept.bedrock.invokeModel("anthropic.claude-3-haiku-20240307-v1:0", body: [:])
            XCTFail("a stopped server answered")
        } catch let error as HarnessError {
            XCTAssertEqual(error, .serverEnded)
        }
    }

    func testTheServerStopsWhenTheClosureThrows() async throws {
        struct Planned: Error {}
        var endpoint = ""
        do {
            try await Understudy.withServer { server in
                endpoint = server.endpoint
                throw Planned()
            }
        } catch is Planned {}
        XCTAssertFalse(endpoint.isEmpty)
        do {
            try await Understudy.withServer(.live(endpoint)) { _ in }
            XCTFail("the server still answers after its closure threw")
        } catch let error as HarnessError {
            guard case .notReachable = error else { return XCTFail("\(error)") }
        }
    }

    func testLiveURLsThatCannotWork() async throws {
        do {
            try await Understudy.withServer(.live("ftp://example")) { _ in }
            XCTFail("an ftp URL was taken")
        } catch let error as HarnessError {
            XCTAssertEqual(error, .invalidURL("ftp://example"))
        }
        let closed = try LiveBinary.freePort()
        do {
            try await Understudy.withServer(.live("http://127.0.0.1:\(closed)")) { _ in }
            XCTFail("a closed port answered")
        } catch let error as HarnessError {
            guard case .notReachable = error else { return XCTFail("\(error)") }
        }
    }

    func testAMissingDefinitionFileIsNamed() async throws {
        try await Understudy.withServer { server in
            do {
                _ = try await server.stepFunctions.createStateMachine(name: "m", definitionFile: "/nonexistent/machine.asl.json")
                XCTFail("a missing file was taken")
            } catch let error as HarnessError {
                XCTAssertEqual(error, .fileUnreadable("/nonexistent/machine.asl.json"))
            }
        }
    }

    func testAConfigurationTheServerRefusesIsAnError() async throws {
        var configuration = ServerConfiguration()
        configuration.recording.mode = .replay
        do {
            try await Understudy.withServer(configuration) { _ in }
            XCTFail("replay without a cassette started")
        } catch let error as HarnessError {
            guard case .cannotStart(let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("--recordings"), reason)
        }
    }

    /// Servers in parallel each keep their own state, and a hundred started and stopped leave
    /// no file descriptor or thread behind.
    func testServersAreIndependentAndLeaveNothingBehind() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<4 {
                group.addTask {
                    try await Understudy.withServer { server in
                        try await server.s3.createBucket("only-\(index)")
                        let listed = try await server.send(TestRequest(service: .s3, method: "GET", target: "/")).succeeded().text
                        XCTAssertTrue(listed.contains("only-\(index)"))
                        XCTAssertEqual(listed.components(separatedBy: "<Bucket>").count, 2, listed)
                    }
                }
            }
            try await group.waitForAll()
        }
        // Warm up whatever is made once per process (NIO's singleton loops, Dispatch's pool).
        for _ in 0..<3 { try await Understudy.withServer { server in _ = try await server.journal.entries() } }
        let before = (descriptors: Self.count("/proc/self/fd"), threads: Self.count("/proc/self/task"))
        for _ in 0..<100 {
            try await Understudy.withServer { server in _ = try await server.journal.entries() }
        }
        try await Task.sleep(for: .milliseconds(200))
        let after = (descriptors: Self.count("/proc/self/fd"), threads: Self.count("/proc/self/task"))
        XCTAssertLessThanOrEqual(after.descriptors, before.descriptors + 2, "file descriptors: \(before) -> \(after)")
        XCTAssertLessThanOrEqual(after.threads, before.threads + 2, "threads: \(before) -> \(after)")
    }

    /// In memory, an injected network fault is what a client sees of it: a reset throws before
    /// any answer, a close gives half a body and then throws. Nothing listens: the endpoint
    /// names no host, and a server ended there throws as one on a socket does.
    func testInMemoryConnectionFaultsAndEnd() async throws {
        let kept = try await Understudy.withServer(.inMemory) { server in
            XCTAssertTrue(server.endpoint.hasPrefix("memory://"), server.endpoint)
            try await server.faults.add(json: ["name": "cut", "match": ["operation": "ListFoundationModels"], "connection": "reset", "when": ["calls": [1]]])
            try await server.faults.add(json: ["name": "half", "match": ["operation": "ListInferenceProfiles"], "connection": "close"])
            let list = TestRequest(service: .bedrock, method: "GET", target: "/foundation-models")
            do {
                _ = try await server.send(list)
                XCTFail("a reset answered")
            } catch let error as HarnessError {
                XCTAssertEqual(error, .connectionBroken("reset"))
            }
            do {
                _ = try await server.send(TestRequest(service: .bedrock, method: "GET", target: "/inference-profiles"))
                XCTFail("a closed connection answered whole")
            } catch let error as HarnessError {
                XCTAssertEqual(error, .connectionBroken("close"))
            }
            let third = try await server.send(list)
            XCTAssertEqual(third.status, 200)
            return server
        }
        do {
            _ = try await kept.journal.entries()
            XCTFail("an ended in-memory server answered")
        } catch let error as HarnessError {
            XCTAssertEqual(error, .serverEnded)
        }
    }

    static func count(_ directory: String) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: directory).count) ?? -1
    }
}
