import JSONCore
import Recording
import XCTest

/// ARNs the emulator generates differently from AWS are carried into later requests.
final class IdentifierMapTests: XCTestCase {
    let recordedArn = "arn:aws:states:us-east-1:123456789012:execution:m:0f1e-aws"
    let emulatedArn = "arn:aws:states:us-east-1:123456789012:execution:m:77aa-emulator"

    func testLearnsDifferingARNsAtTheSamePlaceOnly() {
        var map = IdentifierMap()
        map.learn(
            recorded: ["executionArn": .string(recordedArn), "startDate": 1.5, "name": "0f1e-aws", "same": "arn:aws:states:us-east-1:1:x:y"],
            emulated: ["startDate": 2.5, "executionArn": .string(emulatedArn), "name": "77aa-emulator", "same": "arn:aws:states:us-east-1:1:x:y"])
        XCTAssertEqual(map.replacements.map(\.recorded), [recordedArn])
        XCTAssertEqual(map.replacements.map(\.emulated), [emulatedArn])
    }

    func testReplacesInBodyPathAndQuery() {
        var map = IdentifierMap()
        map.learn(recorded: ["items": [.string(recordedArn)]], emulated: ["items": [.string(emulatedArn)]])
        let request = RecordedRequest(
            method: "POST", path: "/x/arn%3Aaws%3Astates%3Aus-east-1%3A123456789012%3Aexecution%3Am%3A0f1e-aws", query: "arn=\(recordedArn)",
            body: .json(["executionArn": .string(recordedArn), "other": .string(recordedArn + "-missing"), "n": 1]))
        let replayed = map.applied(to: request)
        XCTAssertEqual(replayed.path, "/x/arn%3Aaws%3Astates%3Aus-east-1%3A123456789012%3Aexecution%3Am%3A77aa-emulator")
        XCTAssertEqual(replayed.query, "arn=\(emulatedArn)")
        XCTAssertEqual(replayed.body, .json(["executionArn": .string(emulatedArn), "other": .string(emulatedArn + "-missing"), "n": 1]))
        XCTAssertEqual(IdentifierMap().applied(to: request), request)
    }
}
