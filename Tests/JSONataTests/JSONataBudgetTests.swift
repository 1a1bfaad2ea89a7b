import JSONCore
import XCTest

@testable import JSONata

/// Every evaluation has a budget of steps, built values and regex steps (`EvaluationBudget`):
/// runaway expressions fail fast with an error that names the limit, ordinary large ones fit.
final class JSONataBudgetTests: XCTestCase {
    private func failure(_ expression: String) -> JSONataError? {
        do {
            _ = try JSONataExpression(expression).evaluate(input: nil)
            return nil
        } catch {
            return error
        }
    }

    private func assertFails(_ expression: String, _ code: String, mentioning words: String, within limit: Duration = .seconds(60), file: StaticString = #filePath, line: UInt = #line) {
        // Steps bound the time: a few seconds at most in a debug build, ten times that under
        // ThreadSanitizer; a runaway would not finish at all.
        let started = ContinuousClock.now
        let error = failure(expression)
        XCTAssertEqual(error?.code, code, expression, file: file, line: line)
        XCTAssertTrue(error?.message.contains(words) == true, "\(expression): \(error?.message ?? "no error")", file: file, line: line)
        XCTAssertLessThan(ContinuousClock.now - started, limit, expression, file: file, line: line)
    }

    func testADoublingStringStopsAtTheLongestString() {
        assertFails("$reduce([1..40], function($a, $v) { $a & $a }, 'ab')", "D3150", mentioning: "a string longer than 6990256 bytes")
        assertFails("$join($map([1..20], function($v) { $pad('', 400000, 'x') }))", "D3150", mentioning: "a string longer than")
        assertFails("$replace($pad('', 100000, 'a'), /a/, $pad('', 100, 'b'))", "D3150", mentioning: "a string longer than")
        assertFails("$replace($pad('', 100000, 'a'), 'a', $pad('', 100, 'b'))", "D3150", mentioning: "a string longer than")
    }

    func testACrossJoinStopsAtTheBuiltValuesLimit() {
        assertFails("$count([1..9000].([1..9000]))", "D3150", mentioning: "MB of values built")
        assertFails("($a := [1..9000]; $count($a.($a)))", "D3150", mentioning: "MB of values built")
        assertFails("$reduce([1..40], function($a, $v) { $append($a, $a) }, [1])", "D3150", mentioning: "MB of values built")
        assertFails("$reduce([1..40], function($a, $v) { [$a, $a] }, [1])", "D3150", mentioning: "MB of values built")
    }

    func testALongLoopStopsAtTheStepLimit() {
        assertFails("$reduce([1..1000000], function($a, $v) { $a + $v })", "U1001", mentioning: "more than 3000000 evaluation steps")
    }

    /// The regex budget is the evaluation's, not each match's: many cheap catastrophic-ish
    /// matches add up.
    func testRegexStepsAddUpOverAnEvaluation() {
        let input = "'" + String(repeating: "a", count: 16) + "!'"
        assertFails("$map([1..200], function($v) { $contains(\(input), /^(a+)+$/) })", "U1001", mentioning: "/^(a+)+$/")
        XCTAssertEqual(jsonata("$contains(\(input), /^(a+)+$/)"), "false", "one such match fits")
    }

    func testLargeButOrdinaryExpressionsFit() {
        assertCases([
            ("$count([1..1000000])", "1000000"),
            ("$sum($map([1..100000], function($v) { $v * 2 }))", "10000100000"),
            ("$length($join($map([1..100000], function($v) { 'abcdefghij' })))", "1000000"),
            ("$count($split($join($map([1..20000], function($v) { 'word' }), ' '), / /))", "20000"),
            ("$count([1..300].([1..300]))", "90000"),
            ("$count($distinct([1..100000]))", "100000"),
            ("$distinct([1, 1.0, 'a', 'a', true, true, null, null, [1], [1], {'a':1}, {'a':1}, 0, -0])", "[1,\"a\",true,null,[1],{\"a\":1},0]"),
        ])
    }

    /// Each evaluation starts with a fresh budget: the same compiled expression can use most of
    /// it every time.
    func testTheBudgetIsPerEvaluation() throws {
        let expression = try JSONataExpression("$count($map([1..200000], function($v) { $v }))")
        for _ in 0..<3 { XCTAssertEqual(try expression.evaluate(input: nil), .value(200000)) }
    }
}
