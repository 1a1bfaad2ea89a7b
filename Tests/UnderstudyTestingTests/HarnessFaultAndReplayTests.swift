import AWSWire
import BedrockEngine
import Chaos
import Foundation
import JSONCore
import UnderstudyServer
import UnderstudyTesting
import XCTest

/// Fault rules and recordings through the harness: what a developer changing the fault stage
/// or replay gets from `swift test`.
final class HarnessFaultAndReplayTests: XCTestCase {
    static let claude = "anthropic.claude-3-haiku-20240307-v1:0"
    static let seeds = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("recordings/seeds").path

    /// A stream fault breaks the stream after two events with Bedrock's exception frame, which
    /// the harness throws as the SDKs raise it, mid-stream.
    func testAStreamFaultEndsTheStreamWithItsException() async throws {
        try await everyTransport { server in
            try await server.faults.add(json: [
                "name": "midstream", "match": ["operation": "InvokeModelWithResponseStream"],
                "stream": ["afterEvents": 2, "exception": "ModelStreamErrorException"],
            ])
            var received = 0
            do {
                let body: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [["role": "user", "content": "Count"]]]
                for try await _ in try await server.bedrock.invokeModelStream(Self.claude, body: body) { received += 1 }
                XCTFail("the stream ended normally")
            } catch let error as AWSError {
                // The frame's `:exception-type` is the stream member's name, which botocore reports
                // as the code too ("An error occurred (modelStreamErrorException)").
                XCTAssertEqual(error.code, "modelStreamErrorException")
            }
            XCTAssertEqual(received, 2)
            let calls = try await server.journal.calls(operation: "InvokeModelWithResponseStream", fault: "midstream")
            XCTAssertEqual(calls.count, 1)
        }
    }

    /// Typed rules, the server's own types: a canned completion answers, a fault rule breaks
    /// the second call, and the journal names which rule decided each answer.
    func testTypedRules() async throws {
        try await everyTransport { server in
            try await server.completions.add(CompletionRule(["name": "weather", "match": ["prompt": ["contains": "weather"]], "response": ["text": "Sunny."]]))
            try await server.faults.add(try .error("ThrottlingException", named: "second", operation: "InvokeModel", calls: [2]))
            let body: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [["role": "user", "content": "What is the weather?"]]]
            let answer = try await server.bedrock.invokeModel(Self.claude, body: body)
            XCTAssertEqual(answer["content"]?[0]?["text"]?.stringValue, "Sunny.")
            do {
                _ = try await server.bedrock.invokeModel(Self.claude, body: body)
                XCTFail("the second call was not throttled")
            } catch let error as AWSError {
                XCTAssertEqual(error.code, "ThrottlingException")
                XCTAssertEqual(error.status, 429)
            }
            let calls = try await server.journal.calls(operation: "InvokeModel")
            XCTAssertEqual(calls.map(\.rule), ["weather", nil])
            XCTAssertEqual(calls.map(\.fault), [nil, "second"])
            XCTAssertThrowsError(try FaultRule(["name": "bad", "when": ["probability": 2], "error": ["code": "ThrottlingException"]]))
        }
    }

    /// Replay of the seed cassette for Bedrock only: seed 000's recorded answer comes back, and
    /// a prompt never recorded gets the near-miss error naming the nearest recording.
    func testReplayAnswersFromTheSeedCassette() async throws {
        var configuration = ServerConfiguration()
        configuration.timeScale = 0
        configuration.recording.mode = .replay
        configuration.recording.directory = Self.seeds
        configuration.recording.services = [.bedrockRuntime]
        try await Understudy.withServer(configuration) { server in
            let model = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1"
            let prompt = "\n\nHuman:Write 5 lines about how Moon was formed.\n\nAssistant:"
            let answer = try await server.bedrock.invokeModel(model, body: ["prompt": .string(prompt), "max_tokens_to_sample": 200])
            XCTAssertEqual(answer["completion"]?.stringValue?.hasPrefix(" Here is a 5 line summary of how the Moon was formed"), true, "\(answer)")
            do {
                _ = try await server.bedrock.invokeModel(model, body: ["prompt": "\n\nHuman:Something else\n\nAssistant:", "max_tokens_to_sample": 200])
                XCTFail("a prompt never recorded was answered")
            } catch let error as AWSError {
                XCTAssertEqual(error.code, "UnderstudyNoRecording")
                XCTAssertTrue(error.message.contains("000-03-bedrock-runtime-InvokeModel.json"), error.message)
            }
        }
    }
}
