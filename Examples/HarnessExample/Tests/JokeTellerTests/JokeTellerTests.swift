import Foundation
import JSONCore
import JokeTeller
import UnderstudyTesting
import XCTest

/// The app against Understudy in this process: no AWS account, no network, milliseconds.
final class JokeTellerTests: XCTestCase {
    static let claude = "anthropic.claude-3-haiku-20240307-v1:0"
    static let definition = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("statemachine/joke.asl.json").path

    /// The app's own call, answered by the emulator's deterministic Claude, and seen in the
    /// journal exactly once.
    func testTheAppTellsAJoke() async throws {
        try await Understudy.withServer { server in
            let teller = JokeTeller(endpoint: URL(string: server.endpoint)!)
            let joke = try await teller.joke(about: "penguins")
            XCTAssertFalse(joke.isEmpty)
            let again = try await teller.joke(about: "penguins")
            XCTAssertEqual(again, joke, "the same prompt, the same answer")
            let calls = try await server.journal.calls(operation: "InvokeModel", model: Self.claude)
            XCTAssertEqual(calls.map(\.status), [200, 200])
        }
    }

    /// A throttle the app does not retry reaches it as Bedrock's 429.
    func testTheAppSeesAThrottle() async throws {
        try await Understudy.withServer { server in
            try await server.faults.add(json: ["name": "throttle", "match": ["operation": "InvokeModel"], "error": ["code": "ThrottlingException"]])
            do {
                _ = try await JokeTeller(endpoint: URL(string: server.endpoint)!).joke(about: "queues")
                XCTFail("a throttled call succeeded")
            } catch let failure as JokeTeller.Failure {
                XCTAssertEqual(failure.status, 429)
                XCTAssertTrue(failure.body.contains("ThrottlingException") || failure.body.contains("Too many requests"), failure.body)
            }
            let calls = try await server.journal.calls(operation: "InvokeModel", fault: "throttle")
            XCTAssertEqual(calls.count, 1)
        }
    }

    /// Seed 000's workflow: an EXPRESS machine whose Task calls Claude with a Retry of 20 s
    /// backoff; the first call is throttled, the Retry waits on the instant clock.
    func testTheWorkflowRetriesAThrottledCall() async throws {
        try await Understudy.withServer { server in
            try await server.faults.add(json: [
                "name": "throttle-first", "match": ["operation": "InvokeModel"], "when": ["calls": [1]], "error": ["code": "ThrottlingException"],
            ])
            let machine = try await server.stepFunctions.createStateMachine(name: "joke", definitionFile: Self.definition, type: .express)
            let result = try await server.stepFunctions.startSyncExecution(machine, input: ["prompt": "Tell me a joke"])
            XCTAssertEqual(result.status, "SUCCEEDED")
            XCTAssertNotNil(result.output?["Body"]?["content"]?[0]?["text"]?.stringValue)
            let calls = try await server.journal.calls(operation: "InvokeModel", stateMachine: "joke")
            XCTAssertEqual(calls.map(\.attempt), [1, 2])
            XCTAssertEqual(calls.map(\.fault), ["throttle-first", nil])
        }
    }

    /// A Claude answer streamed chunk by chunk.
    func testAStreamedAnswer() async throws {
        try await Understudy.withServer { server in
            let body: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, "messages": [["role": "user", "content": "Tell me a joke"]]]
            var deltas = 0
            for try await chunk in try await server.bedrock.invokeModelStream(Self.claude, body: body)
            where chunk["type"]?.stringValue == "content_block_delta" {
                deltas += 1
            }
            XCTAssertGreaterThan(deltas, 1)
            let streamed = try await server.journal.calls(operation: "InvokeModelWithResponseStream")
            XCTAssertEqual(streamed.count, 1)
        }
    }
}
