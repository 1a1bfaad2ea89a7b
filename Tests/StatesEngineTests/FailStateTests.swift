import JSONCore
import XCTest

@testable import StatesEngine

/// A Fail state names its error and cause with strings: ErrorPath or CausePath selecting
/// anything else fails the state with States.Runtime, a JSONata Error or Cause of another
/// type with States.QueryEvaluationError (issue 19: the execution failed with an empty error).
final class FailStateTests: XCTestCase {
    private func failure(_ state: String, input: JSONValue) async throws -> StatesError {
        let machine = try StateMachineDefinition(text: #"{"StartAt":"F","States":{"F":\#(state)}}"#)
        let info = ExecutionInfo(
            arn: "arn:aws:states:us-east-1:000000000000:execution:sm:e", name: "e", stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:sm",
            stateMachineName: "sm", roleArn: "arn:aws:iam::000000000000:role/r", startMillis: 1_700_000_000_000, region: "us-east-1", account: "000000000000")
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
}
