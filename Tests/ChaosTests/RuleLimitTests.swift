import Chaos
import JSONCore
import XCTest

/// Fault rules and rate limits refuse numbers they cannot use, naming the field; a `between`
/// window that ends before it starts was once a range that trapped at the first matching call.
final class ChaosRuleLimitTests: XCTestCase {
    func fault(_ text: String) throws -> FaultRule {
        try FaultRule(json: try JSONParser.parse(Array(text.utf8)), parseTimestamp: { Int64($0) })
    }

    func testFaultNumbersAreRangeChecked() {
        let cases: [(String, String)] = [
            (#""when": {"between": {"start": "20", "end": "10"}}"#, "when.between.end must not be before when.between.start"),
            (#""when": {"probability": "0.5"}"#, "when.probability must be a number between 0 and 1"),
            (#""when": {"probability": 1.5}"#, "when.probability must be a number between 0 and 1"),
            (#""when": {"every": 2.5}"#, "when.every must be a whole number from 1 to 1000000000"),
            (#""when": {"every": 0}"#, "when.every must be a whole number from 1"),
            (#""when": {"calls": [1, "two"]}"#, "when.calls must be a list of whole numbers"),
            (#""when": {"calls": 3}"#, "when.calls must be a list of whole numbers"),
            (#""when": {"attempts": [0]}"#, "when.attempts must be a list of whole numbers"),
        ]
        for (when, message) in cases {
            XCTAssertThrowsError(try fault(#"{"name": "f", "# + when + #", "error": {"code": "ThrottlingException"}}"#), when) {
                XCTAssertTrue("\($0)".contains(message), "\($0)")
            }
        }
        XCTAssertThrowsError(try fault(#"{"name": "f", "error": {"code": "X", "status": 429.5}}"#)) {
            XCTAssertTrue("\($0)".contains("error.status must be a whole number from 400 to 599"), "\($0)")
        }
        XCTAssertThrowsError(try fault(#"{"name": "f", "latency": {"ms": 1e300}}"#)) {
            XCTAssertTrue("\($0)".contains("latency.ms must be a whole number from 0 to 3600000"), "\($0)")
        }
        XCTAssertNoThrow(try fault(#"{"name": "f", "when": {"between": {"start": "10", "end": "10"}, "calls": [1, 3]}, "error": {"code": "X"}}"#))
    }

    func testRateLimitNumbersAreRangeChecked() {
        for text in [
            #"{"service": "states", "operation": "*", "bucketSize": 1e12, "refillPerSecond": 1}"#,
            #"{"service": "states", "operation": "*", "bucketSize": 10, "refillPerSecond": 1e300}"#,
            #"{"service": "states", "operation": "*", "bucketSize": 10, "refillPerSecond": 0}"#,
        ] {
            XCTAssertThrowsError(try RateLimitRule(json: try JSONParser.parse(Array(text.utf8))), text)
        }
    }
}
