import JSONCore
import XCTest

@testable import JSONata

/// An evaluation that binds a function to a variable frees its frames when it ends: the frame
/// holds the function and the function's closure holds the frame, a cycle that leaked every
/// scope of every such evaluation (issue 19; LeakSanitizer stopped the jsonata-eval fuzzer).
final class JSONataFrameReleaseTests: XCTestCase {
    /// Runs `text` the way `JSONataExpression.evaluate` does, in a root frame of our own, and
    /// returns its result with a weak reference to the root and the evaluator's record of
    /// captured frames, read after everything the evaluation made has been let go.
    private func evaluate(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> (JSON: JSONValue?, root: Frame?, alive: Int, captured: Int) {
        let expression = try JSONataExpression(text)
        let evaluator = Evaluator(nowMillis: 0, random: { 0 })
        weak var root: Frame?
        let json: JSONValue? = try {
            let frame = Frame(bindings: [:])
            root = frame
            return try evaluator.run(expression.root, .undefined, frame).json
        }()
        let alive = evaluator.capturedFrames.filter { $0.frame != nil }.count
        return (json, root, alive, evaluator.capturedFrames.count)
    }

    func testALambdaBoundToAVariableLetsItsFrameGo() throws {
        let ran = try evaluate("($f := function($x) { $x + 1 }; $f(2))")
        XCTAssertEqual(ran.JSON, 3)
        XCTAssertEqual(ran.captured, 1)
        XCTAssertNil(ran.root, "the root frame holds $f, whose closure is the root frame")
        XCTAssertEqual(ran.alive, 0)
    }

    func testCyclesThroughInnerFramesAreBrokenToo() throws {
        let cases: [(String, JSONValue)] = [
            // A lambda bound inside a lambda's own block, each call.
            ("($f := function($n) { ($g := function() { $n * 2 }; $g()) }; $map([1, 2, 3], $f))", [2, 4, 6]),
            // Recursion: the function reads itself through its closure.
            ("($fact := function($n) { $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(5))", 120),
            // A function kept in an array, and a returned closure over a call's frame.
            ("($fs := [function() { 7 }]; $make := function($n) { function($x) { $x + $n } }; $add := $make(1); $add($fs[0]()))", 8),
            // A transform keeps its frame as a lambda does.
            ("($t := | $ | {'b': 2} |; $t({'a': 1}))", ["a": 1, "b": 2]),
        ]
        for (text, expected) in cases {
            let ran = try evaluate(text)
            XCTAssertEqual(ran.JSON, expected, text)
            XCTAssertGreaterThan(ran.captured, 0, text)
            XCTAssertNil(ran.root, text)
            XCTAssertEqual(ran.alive, 0, "\(text): every captured frame is freed")
        }
    }

    func testAnEvaluationThatThrowsLetsItsFramesGo() throws {
        let expression = try JSONataExpression("($f := function($x) { $x.y.z() }; $f({'y': {'z': 1}}))")
        let evaluator = Evaluator(nowMillis: 0, random: { 0 })
        weak var root: Frame?
        XCTAssertThrowsError(
            try {
                let frame = Frame(bindings: [:])
                root = frame
                _ = try evaluator.run(expression.root, .undefined, frame)
            }())
        XCTAssertNil(root)
        XCTAssertEqual(evaluator.capturedFrames.filter { $0.frame != nil }.count, 0)
    }

    func testTheSameExpressionEvaluatesAgainAfterItsFramesWereReleased() throws {
        let expression = try JSONataExpression("($f := function($x) { $x + $y }; $f(2))")
        var bindings = JSONataBindings()
        bindings.bind("y", 40)
        XCTAssertEqual(try expression.evaluate(bindings), .value(42))
        XCTAssertEqual(try expression.evaluate(bindings), .value(42), "the bindings handed in are not the frames released")
    }
}
