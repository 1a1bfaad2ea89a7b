import JSONCore
import XCTest

@testable import StatesEngine

/// A Fail state names its error and cause with strings: ErrorPath or CausePath selecting
/// anything else fails the state with States.Runtime, a JSONata Error or Cause of another
/// type with States.QueryEvaluationError (issue 19: the execution failed with an empty error).
/// The intrinsics AWS allows there write their text as AWS does and draw from the execution's
/// random stream (issue 22).
final class FailStateTests: XCTestCase {
    private func failure(_ state: String, input: JSONValue, execution: String = "e") async throws -> StatesError {
        let machine = try StateMachineDefinition(text: #"{"StartAt":"F","States":{"F":\#(state)}}"#)
        let info = ExecutionInfo(
            arn: "arn:aws:states:us-east-1:000000000000:execution:sm:\(execution)", name: execution,
            stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:sm", stateMachineName: "sm", roleArn: "arn:aws:iam::000000000000:role/r",
            startMillis: 1_700_000_000_000, region: "us-east-1", account: "000000000000")
        let interpreter = Interpreter(info: info, clock: InstantClock(), tasks: FlakyTasks(failures: 0), history: ExecutionHistory(), seed: 0)
        let (outcome, _) = await interpreter.run(machine, input: input)
        guard case .failed(let error) = outcome else {
            XCTFail("\(outcome)")
            return StatesError("none", nil)
        }
        return error
    }

    private let others: [JSONValue] = [[1], ["a": 1], 5, .null, true]

    func testAnErrorPathSelectingNoStringFailsWithStatesRuntime() async throws {
        for value in others {
            let error = try await failure(#"{"Type":"Fail","ErrorPath":"$.o","CausePath":"$.o"}"#, input: ["o": value])
            XCTAssertEqual(error.error, "States.Runtime", "\(value)")
            XCTAssertEqual(
                error.cause,
                "An error occurred while executing the state 'F' (entered at the event id #2). The JSONPath '$.o' specified for the field 'ErrorPath' "
                    + "returned an unexpected result type. Expected 'string', but was '\(value.typeName)' for value: \(value.jsonString)")
        }
    }

    func testACausePathSelectingNoStringFailsWithStatesRuntime() async throws {
        let error = try await failure(#"{"Type":"Fail","ErrorPath":"$.e","CausePath":"$.o[0]"}"#, input: ["e": "Custom.E", "o": [7]])
        XCTAssertEqual(error.error, "States.Runtime")
        XCTAssertTrue(error.cause?.hasSuffix("The JSONPath '$.o[0]' specified for the field 'CausePath' returned an unexpected result type. Expected 'string', but was 'number' for value: 7") == true, error.cause ?? "")
    }

    func testIntrinsicFunctionsNameTheErrorWhenTheyMakeAString() async throws {
        let named = try await failure(#"{"Type":"Fail","ErrorPath":"States.Format('Code-{}', $.n)","CausePath":"States.JsonToString($)"}"#, input: ["n": 7])
        XCTAssertEqual(named.error, "Code-7")
        XCTAssertEqual(named.cause, #"{"n":7}"#)
        let error = try await failure(#"{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.ArrayGetItem($.o, 0)"}"#, input: ["e": "Custom.E", "o": [7]])
        XCTAssertEqual(error.error, "States.Runtime")
        XCTAssertTrue(
            error.cause?.hasSuffix(
                "The intrinsic function 'States.ArrayGetItem($.o, 0)' specified for the field 'CausePath' returned an unexpected result type. Expected 'string', but was 'number' for value: 7")
                == true, error.cause ?? "")
    }

    func testPathsSelectingStringsNameTheError() async throws {
        let error = try await failure(#"{"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"}"#, input: ["e": "Custom.E", "c": "because"])
        XCTAssertEqual(error.error, "Custom.E")
        XCTAssertEqual(error.cause, "because")
    }

    func testAJSONataErrorOrCauseOfAnotherTypeIsAQueryEvaluationError() async throws {
        for field in ["Error", "Cause"] {
            for value in others {
                let other = field == "Error" ? #""Cause":"c""# : #""Error":"E""#
                let error = try await failure(#"{"Type":"Fail","QueryLanguage":"JSONata","\#(field)":"{% $states.input.o %}",\#(other)}"#, input: ["o": value])
                XCTAssertEqual(error.error, "States.QueryEvaluationError", "\(field) \(value)")
                XCTAssertTrue(error.cause?.contains("specified for the field '\(field)' returned an unexpected result type. Expected 'string'") == true, error.cause ?? "")
            }
        }
    }

    func testAFailStateFormatsItsCauseAsAWSDoes() async throws {
        let error = try await failure(
            #"{"Type":"Fail","ErrorPath":"States.Format('Bad.{}', $.code)","CausePath":"States.Format('bad {} in {}', $.x, $.list)"}"#,
            input: ["code": 7, "x": ["a": 1, "b": ["c"]], "list": [1.5, "z"]])
        XCTAssertEqual(error.error, "Bad.7")
        XCTAssertEqual(error.cause, "bad {a=1, b=[c]} in [1.5, z]")
        let json = try await failure(#"{"Type":"Fail","Error":"E","CausePath":"States.JsonToString($.obj)"}"#, input: ["obj": ["a": [1, nil]]])
        XCTAssertEqual(json.cause, #"{"a":[1,null]}"#)
    }

    /// `"ErrorPath": "States.UUID()"` (AWS's language service's own example) names each
    /// execution's error with its own UUID; it was one fixed UUID for every execution.
    func testAFailStateUUIDComesFromTheExecutionsRandomStream() async throws {
        let state = #"{"Type":"Fail","ErrorPath":"States.UUID()","CausePath":"States.UUID()"}"#
        let first = try await failure(state, input: [:], execution: "one")
        let second = try await failure(state, input: [:], execution: "two")
        XCTAssertNotEqual(first.error, second.error)
        XCTAssertNotEqual(first.error, first.cause)
        for uuid in [first.error, second.error] {
            let parts = uuid.split(separator: "-")
            XCTAssertEqual(parts.map(\.count), [8, 4, 4, 4, 12], uuid)
            XCTAssertEqual(parts[2].first, "4", uuid)
        }
        let again = try await failure(state, input: [:], execution: "one")
        XCTAssertEqual(again.error, first.error, "the same execution under the same seed draws the same UUID")
    }
}
