import Foundation
import JSONCore
import UnderstudyTesting
import VectorSupport
import XCTest

/// The flows users run, through the harness, each test body run in process and against the
/// built binary.
final class HarnessFlowTests: XCTestCase {
    static let claude = "anthropic.claude-3-haiku-20240307-v1:0"

    static func messages(_ text: String) -> JSONValue {
        ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [["role": "user", "content": .string(text)]]]
    }

    /// Seed 000: an EXPRESS machine whose Task calls Claude with a Retry; the first call is
    /// throttled by a fault rule, the Retry waits on an instant clock, the second call answers.
    func testSeedExpressFlowRetriesAThrottledCall() async throws {
        let text = try String(contentsOf: Fixtures.url("seeds/asl/a2_stepfunctions_bedrock_sam.sonnet_4_5.asl.json"), encoding: .utf8)
        let definition = try JSONParser.parse(Array(text.replacingOccurrences(of: "${ModelId}", with: Self.claude).utf8))
        try await everyTransport { server in
            try await server.faults.add(json: [
                "name": "throttle-first", "match": ["service": "bedrock-runtime", "operation": "InvokeModel"], "when": ["calls": [1]],
                "error": ["code": "ThrottlingException"],
            ])
            let machine = try await server.stepFunctions.createStateMachine(name: "seed-000", definition: definition, type: .express)
            let result = try await server.stepFunctions.startSyncExecution(machine, input: ["prompt": "Tell me a joke"])
            XCTAssertEqual(result.status, "SUCCEEDED", "\(result.raw)")
            XCTAssertEqual(result.output?["Body"]?["type"]?.stringValue, "message")
            let calls = try await server.journal.calls(operation: "InvokeModel", model: Self.claude, stateMachine: "seed-000")
            XCTAssertEqual(calls.count, 2)
            let started = try await server.journal.calls(operation: "StartSyncExecution", stateMachine: "seed-000")
            XCTAssertEqual(started.count, 1)
            XCTAssertEqual(calls.first?.fault, "throttle-first")
            XCTAssertEqual(calls.first?.status, 429)
            XCTAssertEqual(calls.last?.status, 200)
            XCTAssertEqual(calls.map(\.attempt), [1, 2])
        }
    }

    /// A Claude answer streamed chunk by chunk, decoded by AWSWire's event-stream decoder.
    func testStreamedClaudeAnswer() async throws {
        try await everyTransport { server in
            var kinds: [String] = []
            for try await chunk in try await server.bedrock.invokeModelStream(Self.claude, body: Self.messages("Count to five")) {
                kinds.append(chunk["type"]?.stringValue ?? "?")
            }
            XCTAssertEqual(kinds.first, "message_start")
            XCTAssertEqual(kinds.last, "message_stop")
            XCTAssertTrue(kinds.contains("content_block_delta"))
            let text = try await server.bedrock.invokeModelStream(Self.claude, body: Self.messages("Count to five")).text()
            XCTAssertFalse(text.isEmpty)
            let whole = try await server.bedrock.invokeModel(Self.claude, body: Self.messages("Count to five"))
            XCTAssertEqual(whole["content"]?[0]?["text"]?.stringValue, text, "the same prompt, the same deterministic answer")
        }
    }

    func testConverseAndConverseStream() async throws {
        try await everyTransport { server in
            let answer = try await server.bedrock.converse(Self.claude, text: "Hello")
            XCTAssertEqual(answer["stopReason"]?.stringValue, "end_turn")
            var events: [String] = []
            for try await event in try await server.bedrock.converseStream(Self.claude, body: ["messages": [["role": "user", "content": [["text": "Hello"]]]]]) {
                events.append(event.type)
            }
            XCTAssertEqual(events.first, "messageStart")
            XCTAssertEqual(events.last, "metadata")
        }
    }

    func testErrorsAreTypedAWSErrors() async throws {
        try await everyTransport { server in
            do {
                _ = try await server.stepFunctions.describeExecution("arn:aws:states:us-east-1:123456789012:execution:none:none")
                XCTFail("described an execution that does not exist")
            } catch let error as AWSError {
                XCTAssertEqual(error.code, "ExecutionDoesNotExist")
                XCTAssertEqual(error.status, 400)
                XCTAssertNotNil(error.requestId)
            }
            do {
                _ = try await server.s3.get(bucket: "no-such-bucket", key: "k")
                XCTFail("read from a bucket that does not exist")
            } catch let error as AWSError {
                XCTAssertEqual(error.code, "NoSuchBucket")
                XCTAssertEqual(error.status, 404)
            }
            do {
                try await server.faults.add(json: ["name": "bad", "when": ["probability": 2], "error": ["code": "ThrottlingException"]])
                XCTFail("a probability of 2 was accepted")
            } catch let error as AWSError {
                XCTAssertEqual(error.status, 400)
            }
        }
    }

    func testStandardExecutionObjectsAndReset() async throws {
        try await everyTransport { server in
            let definition: JSONValue = [
                "StartAt": "Wait", "States": ["Wait": ["Type": "Wait", "Seconds": 3600, "Next": "Done"], "Done": ["Type": "Pass", "End": true]],
            ]
            let machine = try await server.stepFunctions.createStateMachine(name: "hour", definition: definition)
            let execution = try await server.stepFunctions.startExecution(machine, input: ["n": 1], name: "run-1")
            let done = try await server.stepFunctions.waitForExecution(execution)
            XCTAssertEqual(done.status, "SUCCEEDED")
            XCTAssertEqual(done.output, ["n": 1])
            let history = try await server.stepFunctions.history(execution)
            XCTAssertEqual(history.first?.type, "ExecutionStarted")
            XCTAssertEqual(history.last?.type, "ExecutionSucceeded")
            XCTAssertEqual(history.compactMap(\.stateName), ["Wait", "Wait", "Done", "Done"])

            try await server.s3.createBucket("harness")
            try await server.s3.put(bucket: "harness", key: "dir/a b.txt", text: "hello")
            let object = try await server.s3.get(bucket: "harness", key: "dir/a b.txt")
            XCTAssertEqual(object, Array("hello".utf8))

            try await server.reset()
            let machines = try await server.stepFunctions.call("ListStateMachines", [:])
            XCTAssertEqual(machines["stateMachines"]?.arrayValue?.count, 0)
            let journal = try await server.journal.entries()
            XCTAssertEqual(journal.map(\.operation), ["Reset", "ListStateMachines"], "reset empties the journal, then journals itself")
        }
    }
}
