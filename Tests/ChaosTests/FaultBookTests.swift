import Chaos
import Determinism
import JSONCore
import XCTest

final class FaultBookTests: XCTestCase {
    private func rule(_ text: String) throws -> FaultRule {
        try FaultRule(json: try JSONParser.parse(Array(text.utf8)), parseTimestamp: { _ in 0 })
    }

    private func call(_ operation: String = "InvokeModel", model: String? = "anthropic.claude-3-haiku-20240307-v1:0", attempt: Int? = nil, machine: String? = nil, at now: Int64 = 0) -> FaultContext {
        FaultContext(service: "bedrock-runtime", operation: operation, model: model, account: "000000000000", stateMachine: machine, attempt: attempt, nowMillis: now)
    }

    func testRulesParseEachFaultKindAndRejectMistakes() throws {
        XCTAssertEqual(try rule(#"{"name":"a","error":{"code":"ThrottlingException","retryAfterMs":1500}}"#).fault,
                       .error(code: "ThrottlingException", message: nil, status: nil, retryAfterMillis: 1500))
        XCTAssertEqual(try rule(#"{"name":"b","latency":{"ms":200,"jitterMs":50}}"#).fault, .latency(milliseconds: 200, jitterMilliseconds: 50))
        XCTAssertEqual(try rule(#"{"name":"c","connection":"reset"}"#).fault, .connection(.reset))
        XCTAssertEqual(try rule(#"{"name":"d","stream":{"afterEvents":3,"kind":"corruptCrc"}}"#).fault, .stream(afterEvents: 3, .corruptCRC))
        for bad in [
            #"{"error":{"code":"X"}}"#, #"{"name":"x"}"#, #"{"name":"x","error":{"code":"X"},"latency":{"ms":1}}"#,
            #"{"name":"x","when":{"probability":1.5},"error":{"code":"X"}}"#, #"{"name":"x","match":{"modle":"a"},"error":{"code":"X"}}"#,
            #"{"name":"x","connection":"explode"}"#, #"{"name":"x","when":{"every":0},"error":{"code":"X"}}"#,
        ] {
            XCTAssertThrowsError(try rule(bad), bad)
        }
    }

    func testMatchingByOperationModelGlobAndProfile() throws {
        let book = FaultBook(seed: 1, configured: [try rule(#"{"name":"r","match":{"operation":"Invoke*","model":"anthropic.claude-3*"},"error":{"code":"X"}}"#)])
        XCTAssertNotNil(book.decide(call()))
        XCTAssertNotNil(book.decide(call(model: "us.anthropic.claude-3-5-sonnet-20240620-v1:0")))
        XCTAssertNotNil(book.decide(call(model: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0")))
        XCTAssertNil(book.decide(call(model: "amazon.titan-text-express-v1")))
        XCTAssertNil(book.decide(call("Converse")))
        XCTAssertNil(book.decide(call(model: nil)))
    }

    func testCallsEveryAttemptsAndWindow() throws {
        let book = FaultBook(seed: 1, configured: [
            try rule(#"{"name":"calls","match":{"operation":"A"},"when":{"calls":[2,3]},"error":{"code":"X"}}"#),
            try rule(#"{"name":"every","match":{"operation":"B"},"when":{"every":3},"error":{"code":"X"}}"#),
            try rule(#"{"name":"attempts","match":{"operation":"C"},"when":{"attempts":[1]},"error":{"code":"X"}}"#),
        ])
        XCTAssertEqual((1...5).map { _ in book.decide(call("A")) != nil }, [false, true, true, false, false])
        XCTAssertEqual((1...6).map { _ in book.decide(call("B")) != nil }, [false, false, true, false, false, true])
        XCTAssertNotNil(book.decide(call("C", attempt: 1)))
        XCTAssertNotNil(book.decide(call("C")), "no amz-sdk-request header counts as the first attempt")
        XCTAssertNil(book.decide(call("C", attempt: 2)))
        XCTAssertEqual(book.stats.map(\.hits), [2, 2, 2])
        XCTAssertEqual(book.stats.map(\.matched), [5, 6, 3])
        book.reset()
        XCTAssertEqual(book.stats.map(\.matched), [0, 0, 0])
        XCTAssertNil(book.decide(call("A")))
    }

    func testProbabilityIsSeededPerRule() throws {
        func draws(seed: UInt64, extraRuleFirst: Bool) throws -> [Bool] {
            var rules = [try rule(#"{"name":"coin","match":{"operation":"InvokeModel"},"when":{"probability":0.3},"error":{"code":"X"}}"#)]
            if extraRuleFirst { rules.insert(try rule(#"{"name":"other","match":{"operation":"Z"},"when":{"probability":0.5},"error":{"code":"Y"}}"#), at: 0) }
            let book = FaultBook(seed: seed, configured: rules)
            return (0..<200).map { i in
                if extraRuleFirst, i % 2 == 0 { _ = book.decide(call("Z")) }
                return book.decide(call()) != nil
            }
        }
        let a = try draws(seed: 42, extraRuleFirst: false)
        XCTAssertEqual(a, try draws(seed: 42, extraRuleFirst: false))
        XCTAssertEqual(a, try draws(seed: 42, extraRuleFirst: true), "another rule's draws do not shift this one's")
        XCTAssertNotEqual(a, try draws(seed: 43, extraRuleFirst: false))
        let rate = Double(a.filter { $0 }.count) / 200
        XCTAssertEqual(rate, 0.3, accuracy: 0.1)
    }

    func testFirstMatchWinsAndAddReplacesByName() throws {
        let book = FaultBook(seed: 1)
        XCTAssertTrue(book.isEmpty)
        book.add(try rule(#"{"name":"one","error":{"code":"First"}}"#))
        book.add(try rule(#"{"name":"two","error":{"code":"Second"}}"#))
        XCTAssertEqual(book.decide(call())?.name, "one")
        book.add(try rule(#"{"name":"one","match":{"operation":"Nothing"},"error":{"code":"First"}}"#))
        XCTAssertEqual(book.rules.map(\.name), ["one", "two"])
        XCTAssertEqual(book.decide(call())?.name, "two")
        XCTAssertTrue(book.remove(named: "two"))
        XCTAssertFalse(book.remove(named: "two"))
        XCTAssertNil(book.decide(call()))
    }

    func testJitterIsSeededAndBounded() throws {
        func jitters(seed: UInt64) throws -> [Int] {
            let slow = try rule(#"{"name":"slow","latency":{"ms":100,"jitterMs":20}}"#)
            let book = FaultBook(seed: seed, configured: [slow])
            return (0..<50).map { _ in book.jitter(for: slow, upTo: 20) }
        }
        let a = try jitters(seed: 5)
        XCTAssertEqual(a, try jitters(seed: 5))
        XCTAssertNotEqual(a, try jitters(seed: 6))
        XCTAssertTrue(a.allSatisfy { (-20...20).contains($0) })
        XCTAssertGreaterThan(Set(a).count, 10)
    }

    func testWildcards() {
        XCTAssertTrue(WildcardMatch.matches("*", ""))
        XCTAssertTrue(WildcardMatch.matches("a*c", "abbbc"))
        XCTAssertTrue(WildcardMatch.matches("a?c", "abc"))
        XCTAssertFalse(WildcardMatch.matches("a?c", "ac"))
        XCTAssertFalse(WildcardMatch.matches("anthropic.*", "amazon.titan"))
        XCTAssertTrue(WildcardMatch.matches("*haiku*", "anthropic.claude-3-haiku-20240307-v1:0"))
    }
}
