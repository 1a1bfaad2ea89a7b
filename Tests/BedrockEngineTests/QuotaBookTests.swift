import BedrockEngine
import JSONCore
import Locking
import XCTest

final class QuotaBookTests: XCTestCase {
    private final class ManualClock: Sendable {
        let millis = Locked<Int64>(1_000_000)
        func advance(_ ms: Int64) { millis.withLock { $0 += ms } }
        var now: Int64 { millis.withLock { $0 } }
    }

    private func quota(_ text: String) throws -> QuotaRule { try QuotaRule(json: try JSONParser.parse(Array(text.utf8))) }

    private func book(_ rules: [String], clock: ManualClock) throws -> QuotaBook {
        QuotaBook(configured: try rules.map(quota), now: { clock.now })
    }

    func testTokensPerMinuteReserveThenSettleAndRefill() throws {
        let clock = ManualClock()
        let book = try book([#"{"model":"anthropic.claude-3-haiku*","tokensPerMinute":1000}"#], clock: clock)
        // 600 reserved, settled to 300 used: 700 more may be reserved, 701 may not.
        let first = try XCTUnwrap(try book.admit(model: "anthropic.claude-3-haiku-20240307-v1:0", reserve: 600))
        book.settle(first, inputTokens: 100, outputTokens: 200, busyMillis: 0)
        XCTAssertThrowsError(try book.admit(model: "anthropic.claude-3-haiku-20240307-v1:0", reserve: 701)) { error in
            XCTAssertEqual((error as? BedrockError)?.message, "Too many tokens, please wait before trying again.")
            XCTAssertEqual((error as? BedrockError)?.status, 429)
            XCTAssertEqual((error as? BedrockError)?.quota, "anthropic.claude-3-haiku*")
        }
        let second = try XCTUnwrap(try book.admit(model: "anthropic.claude-3-haiku-20240307-v1:0", reserve: 700))
        book.release(second)
        // Other models and ARNs of other models are not metered by this quota.
        XCTAssertNil(try book.admit(model: "amazon.titan-text-express-v1", reserve: 5000))
        XCTAssertNotNil(try book.admit(model: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", reserve: 1))
        clock.advance(60_000)
        XCTAssertNotNil(try book.admit(model: "anthropic.claude-3-haiku-20240307-v1:0", reserve: 1000), "the minute has refilled")
    }

    func testRequestsPerMinuteConcurrencyAndDay() throws {
        let clock = ManualClock()
        let book = try book([
            #"{"name":"rpm","model":"a.*","requestsPerMinute":2}"#, #"{"name":"conc","model":"b.*","concurrency":1}"#,
            #"{"name":"day","model":"c.*","tokensPerDay":100}"#,
        ], clock: clock)
        _ = try book.admit(model: "a.x", reserve: 1)
        _ = try book.admit(model: "a.x", reserve: 1)
        XCTAssertThrowsError(try book.admit(model: "a.x", reserve: 1)) { error in
            XCTAssertTrue((error as? BedrockError)?.message.hasPrefix("Too many requests") == true)
        }
        let busy = try XCTUnwrap(try book.admit(model: "b.x", reserve: 1))
        book.settle(busy, inputTokens: 1, outputTokens: 1, busyMillis: 500)
        XCTAssertThrowsError(try book.admit(model: "b.x", reserve: 1))
        clock.advance(500)
        XCTAssertNotNil(try book.admit(model: "b.x", reserve: 1), "the first call's simulated latency is over")
        let day = try XCTUnwrap(try book.admit(model: "c.x", reserve: 100))
        book.settle(day, inputTokens: 60, outputTokens: 0, busyMillis: 0)
        clock.advance(3_600_000)
        XCTAssertThrowsError(try book.admit(model: "c.x", reserve: 41))
        XCTAssertNotNil(try book.admit(model: "c.x", reserve: 40))
        clock.advance(86_400_000)
        XCTAssertNotNil(try book.admit(model: "c.x", reserve: 100))
        XCTAssertEqual(book.usage().map(\.name), ["rpm", "conc", "day"])
    }

    func testOutputBurndown() throws {
        let clock = ManualClock()
        let book = try book([#"{"model":"*claude-sonnet-4*","tokensPerMinute":1000}"#, #"{"model":"*haiku*","tokensPerMinute":1000,"outputBurndown":2}"#], clock: clock)
        let sonnet = try XCTUnwrap(try book.admit(model: "us.anthropic.claude-sonnet-4-20250514-v1:0", reserve: 100))
        book.settle(sonnet, inputTokens: 100, outputTokens: 100, busyMillis: 0)  // 100 + 5 × 100
        XCTAssertThrowsError(try book.admit(model: "us.anthropic.claude-sonnet-4-20250514-v1:0", reserve: 401))
        XCTAssertNotNil(try book.admit(model: "us.anthropic.claude-sonnet-4-20250514-v1:0", reserve: 400))
        let haiku = try XCTUnwrap(try book.admit(model: "anthropic.claude-3-haiku-20240307-v1:0", reserve: 100))
        book.settle(haiku, inputTokens: 100, outputTokens: 100, busyMillis: 0)  // 100 + 2 × 100
        XCTAssertNotNil(try book.admit(model: "anthropic.claude-3-haiku-20240307-v1:0", reserve: 700))
    }

    func testInvalidQuotas() {
        for bad in [#"{"tokensPerMinute":1}"#, #"{"model":"x"}"#, #"{"model":"x","tokensPerMinute":0}"#, #"{"model":"x","rpm":1}"#] {
            XCTAssertThrowsError(try quota(bad), bad)
        }
    }

    func testRealisticPresetFromTheCatalog() throws {
        let catalog = try ModelCatalog.bundled()
        let rules = Dictionary(uniqueKeysWithValues: QuotaPreset.realistic.rules(catalog: catalog).map { ($0.name, $0) })
        let haiku = try XCTUnwrap(rules["realistic/anthropic.claude-3-haiku-20240307-v1:0"])
        XCTAssertEqual(haiku.tokensPerMinute, 2_000_000)
        XCTAssertEqual(haiku.tokensPerDay, 2_000_000 * 1_440)
        XCTAssertNil(haiku.requestsPerMinute)
        XCTAssertEqual(rules["realistic/eu.anthropic.claude-3-7-sonnet-20250219-v1:0"]?.tokensPerMinute, 1_000_000)
        XCTAssertNil(rules["realistic/anthropic.claude-3-7-sonnet-20250219-v1:0"], "profile-only models have no on-demand quota")
        XCTAssertNil(rules["realistic/anthropic.claude-3-haiku-20240307-v1:0:48k"], "provisioned variants are not on-demand")
        XCTAssertTrue(rules.keys.allSatisfy { !$0.hasPrefix("realistic/global.") })
        // The preset meters a foundation model id and its profile apart, and burns down Claude 4 output 5×.
        let clock = ManualClock()
        let book = QuotaBook(configured: Array(rules.values), now: { clock.now })
        XCTAssertThrowsError(try book.admit(model: "us.anthropic.claude-sonnet-4-20250514-v1:0", reserve: 200_001))
        let ticket = try XCTUnwrap(try book.admit(model: "us.anthropic.claude-sonnet-4-20250514-v1:0", reserve: 100_000))
        book.settle(ticket, inputTokens: 10_000, outputTokens: 30_000, busyMillis: 0)  // 10,000 + 5 × 30,000
        XCTAssertThrowsError(try book.admit(model: "us.anthropic.claude-sonnet-4-20250514-v1:0", reserve: 40_001))
        XCTAssertNotNil(try book.admit(model: "eu.anthropic.claude-sonnet-4-20250514-v1:0", reserve: 200_000))
        XCTAssertThrowsError(try QuotaPreset.named("generous"))
    }

    func testConfiguredDefaultQuotasAreCheckedAndCannotOverflow() throws {
        func model(_ quotas: String) throws -> FoundationModel {
            try FoundationModel(json: try JSONParser.parse(Array(#"{"modelId":"acme.rocket-v1:0","defaultTokensPerMinute":\#(quotas)}"#.utf8)))
        }
        XCTAssertThrowsError(try model(#"{"onDemand":0}"#))
        XCTAssertThrowsError(try model(#"{"crossRegion":"many"}"#))
        let catalog = try ModelCatalog.bundled(additions: [try model(#"{"onDemand":9000000000000000000}"#)])
        let rule = try XCTUnwrap(QuotaPreset.realistic.rules(catalog: catalog).first { $0.name == "realistic/acme.rocket-v1:0" })
        XCTAssertEqual(rule.tokensPerDay, Int.max)
    }
}
