import FuzzSupport
import JSONCore
import JSONata

/// Compiles a fuzzed JSONata expression and evaluates it as a JSONata state's field is
/// evaluated: no context item, `$states` and a few workflow variables bound, a fixed clock and
/// random source. This target is about the evaluation budget: every evaluation must end within
/// its steps and built values, so an input that holds the fuzzer past its per-input timeout, or
/// past its memory limit, is a finding. What an evaluation returns must also be writable as
/// JSON that parses.
enum JSONataEvalFuzzer {
    /// Made for each input: bindings are not Sendable, so they cannot be a shared constant.
    static func bindings() -> JSONataBindings {
        var bindings = JSONataBindings()
        let input: JSONValue = [
            "prompt": "Write 5 lines about the Moon.", "count": 3, "ratio": 0.5, "flag": true, "none": nil,
            "items": [1, 2, 3, "four", ["five": 5], [6, 7]],
            "questions": [["id": "q1", "text": "What is your pricing model?"], ["id": "q2", "text": "Who are your clients?"]],
        ]
        bindings.bind("states", member: "input", input)
        bindings.bind(
            "states", member: "context",
            ["Execution": ["Id": "arn:aws:states:us-east-1:000000000000:execution:M:e", "Input": input, "StartTime": "2025-01-01T00:00:00.000Z"],
             "State": ["Name": "S", "RetryCount": 0]])
        bindings.bind("x", 42)
        bindings.bind("list", ["a", "b", "c"])
        return bindings
    }

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let expression = try? JSONataExpression(String(decoding: bytes, as: UTF8.self)) else { return }
        guard case .value(let value)? = try? expression.evaluate(bindings(), nowMillis: 1_735_689_600_000, random: { 0x9E37_79B9_7F4A_7C15 }) else {
            return
        }
        let written = JSONWriter.bytes(value)
        guard (try? JSONParser.parse(written)) != nil else {
            Invariant.broken("an evaluation's value does not write as JSON: \(String(decoding: written.prefix(200), as: UTF8.self))")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    JSONataEvalFuzzer.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
