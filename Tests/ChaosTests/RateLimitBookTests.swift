import Chaos
import JSONCore
import XCTest

final class RateLimitBookTests: XCTestCase {
    private func rule(_ text: String) throws -> RateLimitRule { try RateLimitRule(json: try JSONParser.parse(Array(text.utf8))) }

    private func refuse(_ book: RateLimitBook, _ operation: String = "StartExecution", type: String? = "STANDARD", region: String = "us-east-1", at t: Int64) -> String? {
        book.refuse(service: "states", operation: operation, stateMachineType: type, account: "123456789012", region: region, nowMillis: t)?.name
    }

    func testBucketEmptiesAndRefillsContinuously() throws {
        let book = RateLimitBook(configured: [try rule(#"{"service":"states","operation":"StartExecution","bucketSize":3,"refillPerSecond":2}"#)])
        XCTAssertNil(refuse(book, at: 0))
        XCTAssertNil(refuse(book, at: 0))
        XCTAssertNil(refuse(book, at: 0))
        XCTAssertEqual(refuse(book, at: 100), "states:StartExecution", "0.2 of a token after 100 ms")
        XCTAssertNil(refuse(book, at: 500), "one token after 500 ms")
        XCTAssertNotNil(refuse(book, at: 500))
        XCTAssertNil(refuse(book, region: "eu-west-1", at: 500), "each region has its own bucket")
        XCTAssertNil(refuse(book, "DescribeExecution", at: 500), "other operations are not limited")
        for _ in 0..<3 { XCTAssertNil(refuse(book, at: 60_000)) }
        XCTAssertNotNil(refuse(book, at: 60_000), "a long pause refills only up to the bucket size")
        XCTAssertEqual(book.refusals().first?.refused, 3)
    }

    func testFirstMatchingRuleByTypeAndRegion() throws {
        let book = RateLimitBook(configured: RateLimitPreset.realistic.rules)
        for _ in 0..<800 { XCTAssertNil(refuse(book, region: "ap-south-1", at: 0)) }
        XCTAssertEqual(refuse(book, region: "ap-south-1", at: 0), "realistic/StartExecution:STANDARD:other-regions")
        for _ in 0..<1_300 { XCTAssertNil(refuse(book, region: "us-west-2", at: 0)) }
        XCTAssertEqual(refuse(book, region: "us-west-2", at: 0), "realistic/StartExecution:STANDARD")
        for _ in 0..<6_000 { XCTAssertNil(refuse(book, type: "EXPRESS", region: "us-west-2", at: 0)) }
        XCTAssertEqual(refuse(book, type: "EXPRESS", region: "us-west-2", at: 0), "realistic/StartExecution:EXPRESS")
        XCTAssertNil(refuse(book, "StartSyncExecution", type: nil, at: 0))
        XCTAssertNil(refuse(book, type: nil, at: 0), "a machine that does not exist matches no typed bucket")
    }

    func testInvalidRules() {
        for bad in [
            #"{"operation":"X","bucketSize":1,"refillPerSecond":1}"#, #"{"service":"sqs","operation":"X","bucketSize":1,"refillPerSecond":1}"#,
            #"{"service":"states","operation":"X","bucketSize":0,"refillPerSecond":1}"#, #"{"service":"states","operation":"X","bucketSize":1}"#,
            #"{"service":"states","operation":"X","bucketSize":1,"refillPerSecond":1,"regions":[]}"#,
            #"{"service":"states","operation":"X","bucketSize":1,"refillPerSecond":1,"burst":2}"#,
        ] {
            XCTAssertThrowsError(try rule(bad), bad)
        }
    }
}
