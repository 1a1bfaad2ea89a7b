import BedrockEngine
import JSONCore
import XCTest

/// Numbers given to canned rules, latency and quotas are range-checked when accepted, and the
/// arithmetic on them cannot trap: `tokensPerSecond: 1e-300` once made the next matching
/// InvokeModel overflow and killed the server.
final class BedrockRuleLimitTests: XCTestCase {
    func json(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    func testLatencyValuesOutOfRangeAreRefusedNamingTheField() throws {
        for (text, field) in [
            (#"{"tokensPerSecond": 1e-300}"#, "latency.tokensPerSecond"), (#"{"tokensPerSecond": 1e300}"#, "latency.tokensPerSecond"),
            (#"{"tokensPerSecond": -1}"#, "latency.tokensPerSecond"), (#"{"tokensPerSecond": "fast"}"#, "latency.tokensPerSecond"),
            (#"{"timeToFirstTokenMs": 9223372036854775000}"#, "latency.timeToFirstTokenMs"), (#"{"timeToFirstTokenMs": 1.5}"#, "latency.timeToFirstTokenMs"),
            (#"{"timeToFirstTokenMs": -1}"#, "latency.timeToFirstTokenMs"),
        ] {
            XCTAssertThrowsError(try LatencyProfile(json: try json(text), context: "rule 'r'"), text) {
                XCTAssertTrue("\($0)".hasPrefix("rule 'r': \(field) must be"), "\($0)")
            }
        }
        let accepted = try LatencyProfile(json: try json(#"{"timeToFirstTokenMs": 3600000, "tokensPerSecond": 0.01}"#), context: "r")
        XCTAssertEqual(accepted.timeToFirstTokenMs, 3_600_000)
    }

    func testLatencyArithmeticSaturates() {
        // Profiles built in code are not range-checked; their arithmetic still cannot trap.
        let slow = LatencyProfile(timeToFirstTokenMs: Int.max, tokensPerSecond: 1e-300)
        XCTAssertEqual(slow.generationMs(tokens: Int.max), LatencyProfile.maximumSimulatedMs)
        let offsets = slow.offsets(parts: 3, outputTokens: Int.max)
        XCTAssertEqual(offsets.last, LatencyProfile.maximumTimeToFirstTokenMs + LatencyProfile.maximumSimulatedMs)
        XCTAssertEqual(LatencyProfile(timeToFirstTokenMs: 100, tokensPerSecond: 50).offsets(parts: 3, outputTokens: 100), [100, 1100, 2100])
    }

    func testCannedUsageIsBounded() throws {
        XCTAssertThrowsError(try CompletionRule(json: try json(#"{"name": "r", "response": {"text": "x", "usage": {"outputTokens": 9223372036854775807}}}"#))) {
            XCTAssertTrue("\($0)".contains("usage.outputTokens must be a whole number from 0 to 10000000"), "\($0)")
        }
        XCTAssertThrowsError(try CompletionRule(json: try json(#"{"name": "r", "response": {"text": "x", "usage": {"inputTokens": -3}}}"#)))
        XCTAssertNoThrow(try CompletionRule(json: try json(#"{"name": "r", "response": {"text": "x", "usage": {"inputTokens": 3, "outputTokens": 4}}}"#)))
    }

    func testQuotaLimitsAreBounded() throws {
        for text in [
            #"{"model": "*", "tokensPerMinute": 1e19}"#, #"{"model": "*", "concurrency": 1e10}"#, #"{"model": "*", "tokensPerMinute": 5, "outputBurndown": 101}"#,
            #"{"model": "*", "requestsPerMinute": 0.5}"#,
        ] {
            XCTAssertThrowsError(try QuotaRule(json: try json(text)), text)
        }
        XCTAssertNoThrow(try QuotaRule(json: try json(#"{"model": "*", "tokensPerMinute": 1000000000000000, "outputBurndown": 100}"#)))
    }
}
