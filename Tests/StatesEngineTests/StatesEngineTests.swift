import JSONCore
import StatesEngine
import XCTest

struct InstantClock: ExecutionClock {
    func nowMillis() -> Int64 { 1_700_000_000_000 }
    func sleep(milliseconds: Int64) async {}
    var isInstant: Bool { true }
}

/// Fails the first `failures` calls with `error`, then echoes its parameters.
final class FlakyTasks: TaskInvoker, @unchecked Sendable {
    var failures: Int
    var calls = 0
    let error: String

    init(failures: Int, error: String = "Bedrock.ThrottlingException") {
        self.failures = failures
        self.error = error
    }

    func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        calls += 1
        if calls <= failures { throw StatesError(error, "Too many requests") }
        return ["echo": parameters]
    }
}

final class StatesEngineTests: XCTestCase {
    func run(_ definition: String, input: JSONValue = [:], tasks: any TaskInvoker = FlakyTasks(failures: 0)) async throws -> (Interpreter.Outcome, [HistoryEvent]) {
        let machine = try StateMachineDefinition(text: definition)
        let history = ExecutionHistory()
        let info = ExecutionInfo(
            arn: "arn:aws:states:us-east-1:000000000000:execution:sm:e", name: "e", stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:sm",
            stateMachineName: "sm", roleArn: "arn:aws:iam::000000000000:role/r", startMillis: 1_700_000_000_000, region: "us-east-1", account: "000000000000")
        let (outcome, _) = await Interpreter(info: info, clock: InstantClock(), tasks: tasks, history: history, seed: 0).run(machine, input: input)
        return (outcome, history.all)
    }

    func testJSONPath() throws {
        let doc: JSONValue = try JSONParser.parse(#"{"a":{"b":[1,2,3,{"c":"x"}]},"items":[{"v":1},{"v":5}]}"#)
        XCTAssertEqual(try JSONPath("$.a.b[1]").evaluate(input: doc, context: .null), 2)
        XCTAssertEqual(try JSONPath("$.a.b[-1].c").evaluate(input: doc, context: .null), "x")
        XCTAssertEqual(try JSONPath("$['a']['b'][0]").evaluate(input: doc, context: .null), 1)
        XCTAssertEqual(try JSONPath("$.items[*].v").evaluate(input: doc, context: .null), [1, 5])
        XCTAssertEqual(try JSONPath("$.a.b[0:2]").evaluate(input: doc, context: .null), [1, 2])
        XCTAssertEqual(try JSONPath("$..c").evaluate(input: doc, context: .null), ["x"])
        XCTAssertEqual(try JSONPath("$.items[?(@.v > 2)]").evaluate(input: doc, context: .null), [["v": 5]])
        XCTAssertNil(try JSONPath("$.missing").evaluate(input: doc, context: .null))
        XCTAssertEqual(try JSONPath("$.a.missing").bracketNotation, "$['a']['missing']")
        XCTAssertThrowsError(try JSONPath("a.b"))
    }

    func testIntrinsics() throws {
        func eval(_ text: String, _ input: JSONValue = [:]) throws -> JSONValue {
            try IntrinsicEvaluator(input: input, context: .null, random: { 7 }).evaluate(try IntrinsicExpression.parse(text))
        }
        XCTAssertEqual(try eval("States.Format('Hello {} and {}', $.a, 3)", ["a": "x"]), "Hello x and 3")
        XCTAssertEqual(try eval("States.Array(1, 'two', States.Array(3))"), [1, "two", [3]])
        XCTAssertEqual(try eval("States.ArrayPartition(States.ArrayRange(1, 5, 1), 2)"), [[1, 2], [3, 4], [5]])
        XCTAssertEqual(try eval("States.MathAdd(-1.51, 0)"), -2)
        XCTAssertEqual(try eval("States.Hash('input data', 'SHA-1')"), "aaff4a450a104cd177d28d18d74485e8cae074b7")
        XCTAssertEqual(try eval("States.Base64Decode(States.Base64Encode('héllo'))"), "héllo")
        XCTAssertEqual(try eval("States.StringSplit('a,b;c', ',;')"), ["a", "b", "c"])
        XCTAssertEqual(try eval("States.JsonMerge($.x, $.y, false)", ["x": ["a": 1, "b": 1], "y": ["b": 2]]), ["a": 1, "b": 2])
        XCTAssertEqual(try eval("States.StringToJson(' ')"), .null)
        XCTAssertEqual(try eval("States.ArrayUnique(States.Array(1, 1, 2))"), [1, 2])
        XCTAssertEqual(try eval("States.Format('esc \\{\\} {}', 1)"), "esc {} 1")
        XCTAssertThrowsError(try eval("States.Format('{} {}', 1)"))
        XCTAssertThrowsError(try IntrinsicExpression.parse("States.Nope(1)"))
    }

    func testPassChoiceAndPaths() async throws {
        let definition = #"""
        {"StartAt":"Shape","States":{
          "Shape":{"Type":"Pass","Parameters":{"n.$":"$.value","label":"fixed"},"ResultPath":"$.shaped","Next":"Decide"},
          "Decide":{"Type":"Choice","Choices":[{"Variable":"$.shaped.n","NumericGreaterThan":10,"Next":"Big"},
                                                {"And":[{"Variable":"$.shaped.n","IsPresent":true},{"Variable":"$.name","StringMatches":"a*"}],"Next":"Small"}],
                    "Default":"Other"},
          "Big":{"Type":"Succeed"},
          "Small":{"Type":"Pass","OutputPath":"$.shaped","End":true},
          "Other":{"Type":"Fail","Error":"NoMatch","Cause":"neither"}}}
        """#
        let (small, history) = try await run(definition, input: ["value": 3, "name": "alpha"])
        guard case .succeeded(let output) = small else { return XCTFail("\(small)") }
        XCTAssertEqual(output, ["n": 3, "label": "fixed"])
        XCTAssertEqual(history.map(\.type.rawValue), [
            "ExecutionStarted", "PassStateEntered", "PassStateExited", "ChoiceStateEntered", "ChoiceStateExited", "PassStateEntered",
            "PassStateExited", "ExecutionSucceeded",
        ])
        let (other, _) = try await run(definition, input: ["value": 3, "name": "beta"])
        guard case .failed(let error) = other else { return XCTFail() }
        XCTAssertEqual(error, StatesError("NoMatch", "neither"))
    }

    func testRetryThenCatch() async throws {
        let definition = #"""
        {"StartAt":"Call","States":{
          "Call":{"Type":"Task","Resource":"arn:aws:states:::bedrock:invokeModel","Parameters":{"x.$":"$.x"},
                  "Retry":[{"ErrorEquals":["States.TaskFailed"],"IntervalSeconds":20,"MaxAttempts":2,"BackoffRate":10}],
                  "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Recovered"}],"End":true},
          "Recovered":{"Type":"Pass","End":true}}}
        """#
        let recovering = FlakyTasks(failures: 2)
        let (ok, _) = try await run(definition, input: ["x": 1], tasks: recovering)
        guard case .succeeded(let output) = ok else { return XCTFail("\(ok)") }
        XCTAssertEqual(output, ["echo": ["x": 1]])
        XCTAssertEqual(recovering.calls, 3)
        let (caught, history) = try await run(definition, input: ["x": 1], tasks: FlakyTasks(failures: 5))
        guard case .succeeded(let recovered) = caught else { return XCTFail("\(caught)") }
        XCTAssertEqual(recovered["error"], ["Error": "Bedrock.ThrottlingException", "Cause": "Too many requests"])
        XCTAssertEqual(history.filter { $0.type.rawValue == "TaskFailed" }.count, 3)
    }

    func testRuntimeErrorsAreNotCaughtAndNameTheState() async throws {
        let definition = #"""
        {"StartAt":"pass","States":{"pass":{"Type":"Pass","Parameters":{"value.$":"$.missing"},"End":true}}}
        """#
        let (outcome, _) = try await run(definition)
        guard case .failed(let error) = outcome else { return XCTFail() }
        XCTAssertEqual(error.error, "States.Runtime")
        XCTAssertEqual(
            error.cause,
            "An error occurred while executing the state 'pass' (entered at the event id #2). The JSONPath '$.missing' specified for the field 'value.$' could not be found in the input '{}'")
    }

    /// A STANDARD execution stops at 25,000 history events: event 25,000 is ExecutionFailed
    /// with States.Runtime, which no Catch (States.ALL) or Retry intercepts.
    func testHistoryStopsAtTwentyFiveThousandEvents() async throws {
        let (outcome, events) = try await run("""
            {"StartAt": "Count", "States": {
              "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Again"},
              "Again": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 100000, "Next": "Count"}], "Default": "Done"},
              "Done": {"Type": "Succeed"}}}
            """, input: ["n": 0])
        guard case .failed(let error) = outcome else { return XCTFail("expected a failure, got \(outcome)") }
        XCTAssertEqual(error.error, "States.Runtime")
        XCTAssertEqual(error.cause, "The execution reached the maximum number of history events (25000).")
        XCTAssertEqual(events.count, 25_000)
        XCTAssertEqual(events.last?.type.rawValue, "ExecutionFailed")
        XCTAssertEqual(events.last?.id, 25_000)
        XCTAssertEqual(events[events.count - 2].id, 24_999)
        // A short execution ends as usual.
        let (short, shortEvents) = try await run(#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#)
        guard case .succeeded = short else { return XCTFail("\(short)") }
        XCTAssertEqual(shortEvents.last?.type.rawValue, "ExecutionSucceeded")
    }

    func testMapKeepsOrderAndContext() async throws {
        let definition = #"""
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs","ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
          "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
        """#
        let (outcome, _) = try await run(definition, input: ["xs": ["a", "b", "c"]])
        guard case .succeeded(let output) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(output, [["i": 0, "v": "a"], ["i": 1, "v": "b"], ["i": 2, "v": "c"]])
    }

    /// An inline Map's MaxConcurrencyPath must name a non-negative integer, as in AWS.
    func testInlineMapChecksMaxConcurrencyPath() async throws {
        let definition = #"""
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs","MaxConcurrencyPath":"$.limit",
          "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
        """#
        let prefix = "An error occurred while executing the state 'M' (entered at the event id #2). "
        let (fine, _) = try await run(definition, input: ["xs": [1, 2], "limit": 1])
        guard case .succeeded(let output) = fine else { return XCTFail("\(fine)") }
        XCTAssertEqual(output, [1, 2])
        let (negative, _) = try await run(definition, input: ["xs": [1], "limit": -1])
        guard case .failed(let error) = negative else { return XCTFail("\(negative)") }
        XCTAssertEqual(error.error, "States.Runtime")
        XCTAssertEqual(error.cause, prefix + "Expected non-negative integer for MaxConcurrency, got '-1' instead.")
        // Numeric text counts, as AWS records for a `"1"` variable; other text does not.
        let (numeric, _) = try await run(definition, input: ["xs": [1], "limit": "2"])
        guard case .succeeded = numeric else { return XCTFail("\(numeric)") }
        let (text, _) = try await run(definition, input: ["xs": [1], "limit": "two"])
        guard case .failed(let textError) = text else { return XCTFail("\(text)") }
        XCTAssertEqual(textError.cause, prefix + #"The MaxConcurrencyPath field refers to value "two" which is not a valid integer: $.limit"#)
    }

    func testDefinitionProblems() {
        XCTAssertThrowsError(try StateMachineDefinition(text: #"{"StartAt":"X","States":{"A":{"Type":"Pass","End":true}}}"#)) { error in
            XCTAssertEqual((error as? StateMachineDefinition.Problem)?.code, "MISSING_TRANSITION_TARGET")
        }
        XCTAssertThrowsError(try StateMachineDefinition(text: #"{"StartAt":"A","States":{"A":{"Type":"Pass"}}}"#))
        XCTAssertThrowsError(try StateMachineDefinition(text: "not json"))
    }
}
