import JSONCore
import StatesEngine
import XCTest

/// Intrinsics keep AWS's limits and never trap: arithmetic is checked, numbers beyond a 64-bit
/// integer are refused, `States.ArrayRange` counts before it builds.
final class IntrinsicLimitsTests: XCTestCase {
    private func eval(_ text: String, _ input: JSONValue = [:]) throws -> JSONValue {
        try IntrinsicEvaluator(input: input, context: .null, random: { 7 }).evaluate(try IntrinsicExpression.parse(text))
    }

    private func error(_ text: String, _ input: JSONValue = [:]) -> StatesError? {
        do {
            _ = try eval(text, input)
            return nil
        } catch {
            return error as? StatesError
        }
    }

    func testOverflowingArithmeticFailsTheExecution() {
        let cases: [(String, JSONValue)] = [
            ("States.MathAdd(9223372036854775807, 1)", [:]),
            ("States.MathAdd(-9223372036854775808, -1)", [:]),
            ("States.MathAdd($.n, 1)", ["n": 1.5e300]),
            ("States.MathAdd($.n, 1)", ["n": -1e300]),
            ("States.MathAdd(9223372036854775808, 0)", [:]),
            ("States.ArrayGetItem(States.Array(1, 2), $.n)", ["n": 1e300]),
            ("States.ArrayPartition(States.Array(1, 2), $.n)", ["n": -1e300]),
            ("States.ArrayRange(1, $.n, 1)", ["n": 1e300]),
            ("States.MathRandom($.n, 5)", ["n": -1e300]),
            ("States.MathRandom(1, 5, $.n)", ["n": 1e300]),
            ("States.MathRandom(-9223372036854775808, 9223372036854775807)", [:]),
        ]
        for (text, input) in cases {
            XCTAssertEqual(error(text, input)?.error, "States.Runtime", text)
        }
    }

    func testExtremesThatFitStillWork() throws {
        XCTAssertEqual(try eval("States.MathAdd(9223372036854775806, 1)"), JSONValue(Int.max))
        XCTAssertEqual(try eval("States.MathAdd(-9223372036854775807, -1)"), JSONValue(Int.min))
        XCTAssertEqual(try eval("States.MathAdd($.n, 0)", ["n": 4.5e15]), JSONValue(4_500_000_000_000_000))
        let random = try XCTUnwrap(try eval("States.MathRandom(-4611686018427387904, 4611686018427387903)").intValue)
        XCTAssertLessThan(random, 4_611_686_018_427_387_903)
        let seeded = try eval("States.MathRandom(1, 1000, 42)")
        XCTAssertEqual(try eval("States.MathRandom(1, 1000, 42)"), seeded, "a seed gives the same number")
        XCTAssertEqual(try eval("States.ArrayRange(9223372036854775806, 9223372036854775807, 1)"), [.number(JSONNumber(Int.max - 1)), .number(JSONNumber(Int.max))])
        XCTAssertEqual(try eval("States.ArrayRange(-9223372036854775807, -9223372036854775808, -1)"), [.number(JSONNumber(Int.min + 1)), .number(JSONNumber(Int.min))])
        XCTAssertEqual(try eval("States.ArrayRange(5, 1, 1)"), [])
        XCTAssertEqual(try eval("States.ArrayGetItem(States.Array(1, 2), 1)"), 2)
    }

    func testArrayRangeStopsAtAThousandItemsWithoutBuildingThem() throws {
        XCTAssertEqual(try eval("States.ArrayRange(1, 1000, 1)").arrayValue?.count, 1000)
        XCTAssertEqual(try eval("States.ArrayRange(0, 9990, 10)").arrayValue?.count, 1000)
        let started = ContinuousClock.now
        for text in ["States.ArrayRange(1, 1001, 1)", "States.ArrayRange(1, 1000000000, 1)",
                     "States.ArrayRange(-9223372036854775808, 9223372036854775807, 1)", "States.ArrayRange(9223372036854775807, -9223372036854775808, -1)"] {
            let failure = error(text)
            XCTAssertEqual(failure?.error, "States.Runtime", text)
            XCTAssertEqual(failure?.cause, "States.ArrayRange: the range would have more than 1000 items", text)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(10), "nothing is built before counting")
    }

    func testStringFunctionsTakeAtMostTenThousandCharacters() throws {
        let fits = String(repeating: "a", count: 10_000)
        let over = fits + "a"
        XCTAssertNotNil(try eval("States.Base64Encode($.s)", ["s": .string(fits)]).stringValue)
        XCTAssertNotNil(try eval("States.Hash($.s, 'SHA-256')", ["s": .string(fits)]).stringValue)
        for text in ["States.Base64Encode($.s)", "States.Base64Decode($.s)", "States.Hash($.s, 'SHA-256')"] {
            XCTAssertEqual(error(text, ["s": .string(over)])?.error, "States.Runtime", text)
        }
    }

    func testArrayUniqueKeepsFirstOccurrencesInOrder() throws {
        XCTAssertEqual(try eval("States.ArrayUnique($.a)", ["a": [3, 1, 3, 2, 1, "1", 1.0, ["x": 1], ["x": 1]]]), [3, 1, 2, "1", ["x": 1]])
        let many = JSONValue.array((0..<50_000).map { JSONValue($0 % 1000) })
        let started = ContinuousClock.now
        XCTAssertEqual(try eval("States.ArrayUnique($.a)", ["a": many]).arrayValue?.count, 1000)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(10), "linear, not quadratic")
    }
}
