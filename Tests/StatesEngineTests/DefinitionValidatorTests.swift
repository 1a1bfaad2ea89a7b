import StatesEngine
import XCTest

/// ValidateStateMachineDefinition's diagnostics: every problem, in AWS's order and words.
final class DefinitionValidatorTests: XCTestCase {
    private func diagnostics(_ text: String, express: Bool = false) -> [String] {
        DefinitionValidator.problems(in: text, express: express).map { "\($0.code)|\($0.message)|\($0.location ?? "-")" }
    }

    func testAValidDefinitionHasNoProblems() {
        let text = #"""
            {"Comment":"ok","StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"T"}],"Default":"W"},
              "W":{"Type":"Wait","Seconds":0,"Next":"T"},
              "T":{"Type":"Task","Resource":"arn:aws:states:::bedrock:invokeModel","Parameters":{"ModelId":"m","Body.$":"States.JsonToString($)"},
                   "Retry":[{"ErrorEquals":["A"],"BackoffRate":2},{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"End":true},
              "F":{"Type":"Fail","Error":"E"}}}
            """#
        XCTAssertEqual(diagnostics(text), [])
    }

    func testNotADefinition() {
        XCTAssertEqual(diagnostics(""), ["SCHEMA_VALIDATION_FAILED|Definition must be a valid JSON object|-"])
        XCTAssertEqual(diagnostics("[1]"), ["SCHEMA_VALIDATION_FAILED|Definition must be a valid JSON object|-"])
        XCTAssertEqual(diagnostics("{}"), ["SCHEMA_VALIDATION_FAILED|These fields are required: [States, StartAt]|/"])
        let source = #"[Source: (String)"not a definition"; line: 1, column: 4]"#
        XCTAssertEqual(
            diagnostics("not a definition"),
            ["INVALID_JSON_DESCRIPTION|Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at \(source)|\(source)"])
        XCTAssertEqual(
            diagnostics(#"{"StartAt":"#).first?.hasPrefix(
                #"INVALID_JSON_DESCRIPTION|Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)"{"StartAt":"; line: 1, column: 1])"#),
            true)
    }

    func testJSONSyntaxErrorsInJacksonsWords() {
        func message(_ text: String) -> String? { DefinitionValidator.problems(in: text).first?.message.components(separatedBy: "\n").first }
        XCTAssertEqual(message(#"{"a":1,}"#), "Unexpected character ('}' (code 125)): was expecting double-quote to start field name")
        XCTAssertEqual(message("[1,]"), "Unexpected character (']' (code 93)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
        XCTAssertEqual(message(#"{"a" 1}"#), "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value")
        XCTAssertEqual(message(#"{"a":1 "b":2}"#), "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries")
        XCTAssertEqual(message("[1 2]"), "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries")
        XCTAssertEqual(message(#"{"a":[true,fals]}"#), "Unrecognized token 'fals': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
        XCTAssertEqual(
            DefinitionValidator.problems(in: #"{"a":nul}"#).first?.location, #"[Source: (String)"{"a":nul}"; line: 1, column: 9]"#)
    }

    func testEveryProblemIsListedSchemaFirstThenTransitions() {
        let text = #"{"StartAt":"A","Foo":1,"States":{"A":{"Type":"Pass","Bar":1,"Next":"Nope"},"B":{"Type":"Bogus"},"C":{"Type":"Task","End":true,"Next":"A"}}}"#
        XCTAssertEqual(diagnostics(text), [
            "SCHEMA_VALIDATION_FAILED|Field 'Foo' is not supported|/",
            "SCHEMA_VALIDATION_FAILED|Field 'Bar' is not supported|/States/A",
            "SCHEMA_VALIDATION_FAILED|Value should be one of the following: [Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map]|/States/B/Type",
            "SCHEMA_VALIDATION_FAILED|There should only be one of the following fields: [Next, End]|/States/C",
            "SCHEMA_VALIDATION_FAILED|These fields are required: [Resource]|/States/C",
            "MISSING_TRANSITION_TARGET|Missing 'Next' target: Nope|/States/A/Next",
            "MISSING_TRANSITION_TARGET|State \"B\" is not reachable.|/States/B",
            "MISSING_TRANSITION_TARGET|State \"C\" is not reachable.|/States/C",
        ])
    }

    func testFieldsAStateTypeDoesNotTake() {
        let text = #"{"StartAt":"P","States":{"P":{"Type":"Pass","TimeoutSeconds":5,"Retry":[],"Catch":[],"End":true}}}"#
        XCTAssertEqual(diagnostics(text), [
            "SCHEMA_VALIDATION_FAILED|Field 'TimeoutSeconds' is not supported|/States/P",
            "SCHEMA_VALIDATION_FAILED|Field 'Retry' is not supported|/States/P",
            "SCHEMA_VALIDATION_FAILED|Field 'Catch' is not supported|/States/P",
        ])
        XCTAssertEqual(
            diagnostics(#"{"StartAt":"S","States":{"S":{"Type":"Succeed","End":true}}}"#),
            ["SCHEMA_VALIDATION_FAILED|Field 'End' is not supported|/States/S"])
    }

    func testTransitionsNoTerminalStateAndReachability() {
        let loop = #"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}"#
        XCTAssertEqual(diagnostics(loop), ["MISSING_END_STATE|Workflow has no terminal state|-"])
        let loopAndEnd = #"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"},"C":{"Type":"Succeed"}}}"#
        XCTAssertEqual(diagnostics(loopAndEnd), ["MISSING_TRANSITION_TARGET|State \"C\" is not reachable.|/States/C"])
        let nested = #"""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"X","States":{"Y":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"Z"}],"Default":"Q"},
              "T":{"Type":"Task","Resource":"r","Catch":[{"ErrorEquals":["States.ALL"],"Next":"W"}],"End":true}}}]}}}
            """#
        XCTAssertEqual(diagnostics(nested), [
            "MISSING_TRANSITION_TARGET|Missing 'Next' target: X|/States/P/Branches[0]/StartAt",
            "MISSING_TRANSITION_TARGET|Missing 'Next' target: Z|/States/P/Branches[0]/States/Y/Choices[0]/Next",
            "MISSING_TRANSITION_TARGET|Missing 'Next' target: Q|/States/P/Branches[0]/States/Y/Default",
            "MISSING_TRANSITION_TARGET|Missing 'Next' target: W|/States/P/Branches[0]/States/T/Catch[0]/Next",
            "MISSING_TRANSITION_TARGET|State \"Y\" is not reachable.|/States/P/Branches[0]/States/Y",
            "MISSING_TRANSITION_TARGET|State \"T\" is not reachable.|/States/P/Branches[0]/States/T",
        ])
    }

    func testValuesOutOfShapeOrRange() {
        let text = #"""
            {"StartAt":"W","States":{
              "W":{"Type":"Wait","Seconds":"5","SecondsPath":"$.s","Assign":{"states":1},"Next":"T"},
              "T":{"Type":"Task","Resource":"r","TimeoutSeconds":0,"HeartbeatSeconds":1.5,"InputPath":"x",
                   "Parameters":{"a.$":"oops","ok.$":"States.UUID()"},
                   "Retry":[{"ErrorEquals":["States.ALL","X"],"MaxAttempts":-1,"BackoffRate":0.5,"JitterStrategy":"SOME","Foo":1},{"ErrorEquals":[]}],
                   "Catch":[{"ErrorEquals":["X"]}],"Next":"M"},
              "M":{"Type":"Map","ToleratedFailurePercentage":101,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"E","States":{"E":{"Type":"Succeed"}}},"Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Variable":"x","StringEquals":"a"},{"And":[{"Variable":"$.a","IsNull":true,"Next":"F"}],"Next":"F"}],"Default":"F"},
              "F":{"Type":"Fail","Assign":{"states":1}}}}
            """#
        XCTAssertEqual(diagnostics(text), [
            "SCHEMA_VALIDATION_FAILED|There should only be one of the following fields: [Seconds, Timestamp, SecondsPath, TimestampPath]|/States/W",
            "SCHEMA_VALIDATION_FAILED|Expected value of type Integer|/States/W/Seconds",
            "RESERVED_VARIABLE_NAME|Cannot assign to reserved variable '$states'.|/States/W/Assign/states",
            "SCHEMA_VALIDATION_FAILED|Minimum value is 1|/States/T/TimeoutSeconds",
            "SCHEMA_VALIDATION_FAILED|Expected value of type Integer|/States/T/HeartbeatSeconds",
            "SCHEMA_VALIDATION_FAILED|Value must be a valid JSONPath.|/States/T/InputPath",
            "SCHEMA_VALIDATION_FAILED|The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call|/States/T/Parameters/a.$",
            "SCHEMA_VALIDATION_FAILED|Field 'Foo' is not supported|/States/T/Retry[0]",
            "SCHEMA_VALIDATION_FAILED|States.ALL must appear alone and at end of list|/States/T/Retry[0]/ErrorEquals",
            "SCHEMA_VALIDATION_FAILED|Minimum value is 0|/States/T/Retry[0]/MaxAttempts",
            "SCHEMA_VALIDATION_FAILED|Minimum value is 1.0|/States/T/Retry[0]/BackoffRate",
            "SCHEMA_VALIDATION_FAILED|Value should be one of the following: [NONE, FULL]|/States/T/Retry[0]/JitterStrategy",
            "SCHEMA_VALIDATION_FAILED|Value cannot be empty|/States/T/Retry[1]/ErrorEquals",
            "SCHEMA_VALIDATION_FAILED|These fields are required: [Next]|/States/T/Catch[0]",
            "SCHEMA_VALIDATION_FAILED|Maximum value is 100.0|/States/M/ToleratedFailurePercentage",
            "SCHEMA_VALIDATION_FAILED|These fields are required: [ExecutionType]|/States/M/ItemProcessor/ProcessorConfig",
            "SCHEMA_VALIDATION_FAILED|These fields are required: [Next]|/States/C/Choices[0]",
            "SCHEMA_VALIDATION_FAILED|Value is not a Reference Path: Reference path didn't start with '$'|/States/C/Choices[0]/Variable",
            "SCHEMA_VALIDATION_FAILED|Field 'Next' is not supported|/States/C/Choices[1]/And[0]",
            "SCHEMA_VALIDATION_FAILED|Field 'Assign' is not supported|/States/F",
        ])
    }

    func testJSONataStatesTakeExpressionsForNumbers() {
        let text = #"{"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","Seconds":"{% $states.input.s %}","End":true}}}"#
        XCTAssertEqual(diagnostics(text), [])
        let path = #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":"{% $states.input.s %}","End":true}}}"#
        XCTAssertEqual(diagnostics(path), ["SCHEMA_VALIDATION_FAILED|Expected value of type Integer|/States/W/Seconds"])
    }

    func testExpressMachinesRefuseCallbackAndSyncIntegrations() {
        let text = #"""
            {"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Next":"R"},
              "R":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","End":true}}}
            """#
        XCTAssertEqual(diagnostics(text), [])
        XCTAssertEqual(diagnostics(text, express: true), [
            "SCHEMA_VALIDATION_FAILED|Express state machine does not support '.waitForTaskToken' service integration |/States/S/Resource",
            "SCHEMA_VALIDATION_FAILED|Express state machine does not support '.sync' service integration |/States/R/Resource",
        ])
    }

    func testStateNamesAreUniqueAcrossTheMachine() {
        let text = #"""
            {"StartAt":"A","States":{"A":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]}}}
            """#
        XCTAssertEqual(diagnostics(text), ["DUPLICATE_STATE_NAME|Duplicate State name: A|/States/A/Branches[0]/States/A"])
    }

    /// ErrorPath and CausePath take a path or a call of an intrinsic function that returns a
    /// string; other intrinsics are refused as any other field's non-path.
    func testAFailStateTakesStringIntrinsicsForItsPaths() {
        func fail(_ error: String, _ cause: String) -> String {
            #"{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"\#(error)","CausePath":"\#(cause)"}}}"#
        }
        XCTAssertEqual(diagnostics(fail("States.UUID()", "States.Format('error: {}, cause: {}', $.Error, $.Cause)")), [])
        XCTAssertEqual(diagnostics(fail("States.JsonToString($.json)", "States.Format('{}', States.ArrayGetItem($.a, $.i))")), [])
        XCTAssertEqual(
            diagnostics(fail("States.StringToJson($.s)", "States.MathAdd($.a, $.b)")),
            ["SCHEMA_VALIDATION_FAILED|Value must be a valid JSONPath.|/States/F/ErrorPath", "SCHEMA_VALIDATION_FAILED|Value must be a valid JSONPath.|/States/F/CausePath"])
        XCTAssertEqual(diagnostics(fail("Error", "$.Cause")), ["SCHEMA_VALIDATION_FAILED|Value must be a valid JSONPath.|/States/F/ErrorPath"])
        // The call is read as the interpreter reads it: one it could never run is refused now,
        // one it runs is accepted however it is spaced.
        XCTAssertEqual(
            diagnostics(fail("States.Format('bad {}'", "States.UUID(")),
            ["SCHEMA_VALIDATION_FAILED|Value must be a valid JSONPath.|/States/F/ErrorPath", "SCHEMA_VALIDATION_FAILED|Value must be a valid JSONPath.|/States/F/CausePath"])
        XCTAssertEqual(diagnostics(fail("States.Format ('bad {}', $.x)", "States.JsonToString( $.obj )")), [])
        XCTAssertEqual(diagnostics(fail("States.Hash($$.Execution.Id, 'SHA-256')", "States.Base64Encode($errorVar)")), [])
    }
}
