import AWSWire
import Foundation
import JSONCore
import Recording
import VectorSupport
import XCTest

/// Interactions and directories the Recording tests share.
enum CassetteSamples {
    /// A fresh empty directory under the system's temporary directory, removed when `test` ends.
    static func directory(for test: XCTestCase) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cassette-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    static func invokeModel(prompt: String = "Hello", answer: String = "Hi there") -> RecordedInteraction {
        let body: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [["role": "user", "content": .string(prompt)]]]
        let reply: JSONValue = ["id": "msg_1", "type": "message", "content": [["type": "text", "text": .string(answer)]], "usage": ["input_tokens": 3, "output_tokens": 2]]
        return RecordedInteraction(
            service: "bedrock-runtime", operation: "InvokeModel", resource: "anthropic.claude-3-haiku-20240307-v1:0",
            request: RecordedRequest(
                method: "POST", path: "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke", query: "",
                headers: [("Content-Type", "application/json"), ("Accept", "application/json")], body: body.jsonBytes),
            response: RecordedResponse(
                status: 200,
                headers: [RecordedHeader("Content-Type", "application/json"), RecordedHeader("x-amzn-RequestId", "0f0e0d0c-0000-4000-8000-000000000001")],
                body: RecordedBody(capturing: reply.jsonBytes)))
    }

    static func describeExecution(arn: String, status: String) -> RecordedInteraction {
        let body: JSONValue = ["executionArn": .string(arn)]
        return RecordedInteraction(
            service: "states", operation: "DescribeExecution", resource: arn,
            request: RecordedRequest(
                method: "POST", path: "/", query: "", headers: [("X-Amz-Target", "AWSStepFunctions.DescribeExecution")], body: body.jsonBytes),
            response: RecordedResponse(status: 200, body: .json(["executionArn": .string(arn), "status": .string(status)])))
    }

    /// The frames of the first Bedrock stream vector, with their bytes.
    static func bedrockFrames() throws -> [(bytes: [UInt8], message: EventStreamMessage)] {
        let cases = try Fixtures.json("vectors/bedrock_eventstream.json")["cases"]!.arrayValue!
        return try cases[0]["frames"]!.arrayValue!.map { frame in
            let bytes = frame["hex"]!.stringValue!.hexBytes
            return (bytes, try EventStreamDecoder.decodeAll(bytes)[0])
        }
    }

    static func stream(frames: [EventStreamMessage]) -> RecordedInteraction {
        let body: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [["role": "user", "content": "Tell me"]]]
        return RecordedInteraction(
            service: "bedrock-runtime", operation: "InvokeModelWithResponseStream", resource: "anthropic.claude-3-haiku-20240307-v1:0",
            request: RecordedRequest(method: "POST", path: "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream", query: "",
                headers: [("Content-Type", "application/json")], body: body.jsonBytes),
            response: RecordedResponse(
                status: 200, headers: [RecordedHeader("Content-Type", "application/vnd.amazon.eventstream")],
                frames: frames.enumerated().map { RecordedFrame(message: $1, offsetMillis: 20 * $0) }))
    }

    /// Every regular file under `directory`, read whole.
    static func allBytes(in directory: String) throws -> [(name: String, bytes: [UInt8])] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { name in
            (name, [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))))
        }
    }
}

