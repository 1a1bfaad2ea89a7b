import BedrockEngine
import Determinism
import JSONCore
import XCTest

/// A canned rule's `regex` is matched under a budget on the request path: a catastrophic
/// pattern costs a bounded moment per request and does not match; ordinary ones match as
/// JavaScript's would.
final class CompletionRuleRegexTests: XCTestCase {
    private func answer(_ rules: [JSONValue], prompt: String) throws -> String {
        let book = CompletionRuleBook()
        for rule in rules { book.add(try CompletionRule(json: rule)) }
        let runtime = BedrockRuntime(catalog: try ModelCatalog.bundled(), seed: 0, rules: book)
        let body: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 10, "messages": [["role": "user", "content": .string(prompt)]]]
        return try runtime.invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: body.jsonBytes, region: "us-east-1").completion.text
    }

    func testACatastrophicRegexDoesNotMatchAndReturnsPromptly() throws {
        let rules: [JSONValue] = [
            ["name": "evil", "match": ["prompt": ["regex": "^(a+)+$"]], "response": ["text": "evil"]],
            ["name": "fallback", "match": ["prompt": ["contains": "a"]], "response": ["text": "fallback"]],
        ]
        let started = ContinuousClock.now
        XCTAssertEqual(try answer(rules, prompt: String(repeating: "a", count: 40) + "!"), "fallback")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(30), "250,000 steps, not 2^40")
        XCTAssertEqual(try answer(rules, prompt: String(repeating: "a", count: 40)), "evil", "the same rule still matches where it can")
    }

    func testRegexesAreJavaScripts() throws {
        let rule: JSONValue = ["name": "job", "match": ["prompt": ["regex": "(?<=job )\\d+$"]], "response": ["text": "matched"]]
        XCTAssertEqual(try answer([rule], prompt: "status of job 42"), "matched")
        XCTAssertNotEqual(try answer([rule], prompt: "status of job x"), "matched")
    }

    func testAnInvalidRegexRefusesTheRule() {
        XCTAssertThrowsError(try CompletionRule(json: ["name": "x", "match": ["prompt": ["regex": "a**"]], "response": ["text": "y"]])) { error in
            XCTAssertEqual((error as? RuleError)?.description, "rule 'x': invalid regex 'a**': Nothing to repeat")
        }
    }
}
