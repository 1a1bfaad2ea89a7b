import AWSWire
import JSONCore
import Recording
import XCTest

/// The comparison `recordings diff` will run: form, not generated text.
final class ShapeComparisonTests: XCTestCase {
    let comparison = ShapeComparison()

    func response(_ body: JSONValue, status: Int = 200, headers: [RecordedHeader] = [RecordedHeader("Content-Type", "application/json")]) -> RecordedResponse {
        RecordedResponse(status: status, headers: headers, body: .json(body))
    }

    func answer(_ body: JSONValue, status: Int = 200, headers: [RecordedHeader] = [RecordedHeader("content-type", "application/json")]) -> EmulatorAnswer {
        EmulatorAnswer(status: status, headers: headers, body: body.jsonBytes)
    }

    func testSameShapeWithOtherTextIsNoDifference() {
        let aws: JSONValue = ["id": "msg_real", "content": [["type": "text", "text": "Paris is the capital."]], "usage": ["input_tokens": 12]]
        let emulator: JSONValue = ["id": "msg_fake", "content": [["type": "text", "text": "Lorem"], ["type": "text", "text": "more"]], "usage": ["input_tokens": 3]]
        XCTAssertEqual(comparison.compare(response(aws), with: answer(emulator)), [])
    }

    func testNamesTypesAndOrderAreReported() {
        let aws: JSONValue = ["output": ["message": ["role": "assistant", "content": []]], "stopReason": "end_turn", "usage": ["inputTokens": 1, "outputTokens": 2], "metrics": ["latencyMs": 10]]
        let emulator: JSONValue = ["output": ["message": ["content": [], "role": "assistant"]], "stopReason": 1, "usage": ["inputTokens": 1], "extra": true, "metrics": ["latencyMs": 3]]
        let differences = comparison.compare(response(aws), with: answer(emulator))
        XCTAssertEqual(differences, [
            ShapeDifference(.extraMember, "body.extra", emulated: "boolean"),
            ShapeDifference(.order, "body", recorded: "output, stopReason, usage, metrics", emulated: "output, stopReason, usage, metrics"),
            ShapeDifference(.order, "body.output.message", recorded: "role, content", emulated: "content, role"),
            ShapeDifference(.type, "body.stopReason", recorded: "string", emulated: "number"),
            ShapeDifference(.missingMember, "body.usage.outputTokens", recorded: "number"),
        ].filter { $0.kind != .order || $0.path != "body" })
        XCTAssertEqual(differences[0].description, "body.extra: the emulator sends it (boolean), AWS does not")
    }

    func testStatusErrorCodesAndHeaders() {
        let aws = RecordedResponse(
            status: 400,
            headers: [RecordedHeader("Content-Type", "application/json"), RecordedHeader("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/"),
                RecordedHeader("x-amzn-RequestId", "r"), RecordedHeader("Date", "d")],
            body: .json(["message": "Malformed input request"]))
        let emulator = EmulatorAnswer(
            status: 429, headers: [RecordedHeader("content-type", "application/json; charset=utf-8"), RecordedHeader("x-amzn-requestid", "r2")],
            body: (["__type": "com.amazon.coral#ThrottlingException", "message": "slow down"] as JSONValue).jsonBytes)
        XCTAssertEqual(comparison.compare(aws, with: emulator), [
            ShapeDifference(.status, "status", recorded: "400", emulated: "429"),
            ShapeDifference(.errorCode, "errorCode", recorded: "ValidationException", emulated: "ThrottlingException"),
            ShapeDifference(.header, "headers.x-amzn-errortype", recorded: "present", emulated: "absent"),
            ShapeDifference(.extraMember, "body.__type", emulated: "string"),
        ])
        let s3 = RecordedResponse(status: 404, body: .text("<Error><Code>NoSuchKey</Code><Message>m</Message></Error>"))
        let same = EmulatorAnswer(status: 404, body: Array("<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code></Error>".utf8))
        XCTAssertEqual(comparison.compare(s3, with: same), [])
    }

    func testStreamsCompareEventRunsAndChunkShapes() throws {
        let frames = try CassetteSamples.bedrockFrames().map(\.message)
        let recorded = CassetteSamples.stream(frames: frames).response
        // More deltas and other text: the same stream as far as form goes.
        let longer = Array(frames.prefix(3)) + [frames[2], frames[2]] + Array(frames.dropFirst(3))
        let encoded = try longer.map { try EventStreamEncoder.encode($0) }
        XCTAssertEqual(comparison.compare(recorded, with: try EmulatorAnswer(status: 200, headers: recorded.headers, encodedFrames: encoded)), [])
        // A chunk whose model event lacks a member, and a stream missing its stop events.
        var inner = try JSONParser.parse(Base64.decode(try JSONParser.parse(frames[2].payload)["bytes"]!.stringValue!)!)
        guard case .object(var object) = inner else { return XCTFail() }
        object.removeValue(forKey: "index")
        inner = .object(object)
        let changed = EventStreamMessage.event("chunk", payload: (["bytes": .string(Base64.encode(inner.jsonBytes))] as JSONValue).jsonBytes)
        let emulated = Array(frames.prefix(2)) + [changed]
        let differences = comparison.compare(recorded, with: EmulatorAnswer(status: 200, headers: recorded.headers, frames: emulated))
        XCTAssertEqual(differences.first?.kind, .events)
        XCTAssertTrue(differences.contains(ShapeDifference(.missingMember, "frames[chunk/content_block_delta].payload.bytes.index", recorded: "number")), "\(differences)")
        XCTAssertEqual(comparison.compare(recorded, with: EmulatorAnswer(status: 200, headers: recorded.headers, body: [])).last,
            ShapeDifference(.body, "body", recorded: "event stream", emulated: "document"))
    }
}

extension ShapeComparisonTests {
    /// A poll recorded while the execution ran, answered by an emulator that already finished:
    /// members that follow from the status are noted, not reported; the rest still are.
    func testAnotherStatusLeavesStatusMembersUncompared() {
        let aws: JSONValue = ["executionArn": "a", "status": "RUNNING", "startDate": 1.5]
        let emulator: JSONValue = ["executionArn": "b", "status": "SUCCEEDED", "startDate": "late", "stopDate": 2.5, "output": "{}"]
        let report = comparison.report(response(aws), with: answer(emulator))
        XCTAssertEqual(report.differences, [ShapeDifference(.type, "body.startDate", recorded: "number", emulated: "string")])
        XCTAssertEqual(report.notes, ["body.status: AWS RUNNING, emulator SUCCEEDED; members only one of them has are not compared"])
        let same = comparison.report(response(aws), with: answer(["executionArn": "b", "status": "RUNNING", "startDate": 2, "stopDate": 3]))
        XCTAssertEqual(same.differences, [ShapeDifference(.extraMember, "body.stopDate", emulated: "number")])
        XCTAssertEqual(same.notes, [])
    }
}
