import JSONCore
import XCTest

import StatesEngine

/// States.Format writes a non-string argument as Step Functions' Java runtime does, not as
/// JSON (issue 22): objects `{a=1, b=[]}`, arrays `[1, x]`, strings inside them unquoted,
/// integers as digits and other numbers as Java's `Double.toString`.
final class IntrinsicTextTests: XCTestCase {
    private func format(_ call: String, input: String, context: JSONValue = .null) throws -> JSONValue {
        try IntrinsicEvaluator(input: try JSONParser.parse(input), context: context, random: { 7 }).evaluate(try IntrinsicExpression.parse(call))
    }

    /// AWS's answers, recorded in the snapshots of localstack's AWS-validated test_generic.py
    /// (test_format_1, test_format_2, test_context_json_path).
    func testFormatWritesWhatAWSRecorded() throws {
        let call = "States.Format('Formatting arguments fst={} and snd={}.', $.fst, $.snd)"
        XCTAssertEqual(
            try format(call, input: #"{"fst": {"Arg1": 1, "Arg2": []}, "snd": {"Arg1": 1, "Arg2": []}}"#),
            "Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.")
        XCTAssertEqual(try format(call, input: #"{"fst": null, "snd": 1.1}"#), "Formatting arguments fst=null and snd=1.1.")
        XCTAssertEqual(
            try format(call, input: #"{"fst": "{\"Arg1\": 1, \"Arg2\": []}", "snd": 1}"#), #"Formatting arguments fst={"Arg1": 1, "Arg2": []} and snd=1."#)
        let context: JSONValue = ["Execution": ["Name": "e"], "StateMachine": ["Id": "arn:aws:states:us-east-1:111111111111:stateMachine:sm", "Name": "sm"]]
        XCTAssertEqual(
            try format("States.Format('fst={} and snd={}.', $$.Execution.Name, $$.StateMachine)", input: "{}", context: context),
            "fst=e and snd={Id=arn:aws:states:us-east-1:111111111111:stateMachine:sm, Name=sm}.")
    }

    func testNestedValuesPrintAsJavaMapsAndLists() throws {
        let call = "States.Format('{}', $.v)"
        let cases: [(String, String)] = [
            (#"{"a": {"b": [1, "x", null, true, false]}, "s": "q\"uote", "e": {}, "l": []}"#, #"{a={b=[1, x, null, true, false]}, s=q"uote, e={}, l=[]}"#),
            (#"[1, "a", {"k": "v w"}, [[]]]"#, "[1, a, {k=v w}, [[]]]"),
            ("{}", "{}"),
            ("[]", "[]"),
            (#""plain""#, "plain"),
            ("true", "true"),
        ]
        for (value, text) in cases {
            XCTAssertEqual(try format(call, input: #"{"v": \#(value)}"#), .string(text), value)
        }
    }

    /// Jackson reads an integer of any size as an integer and every other number as a Double.
    func testNumbersPrintAsJavaDoes() throws {
        let cases: [(String, String)] = [
            ("1", "1"), ("-0", "0"), ("123456789012345678901234567890", "123456789012345678901234567890"),
            ("1.0", "1.0"), ("1.10", "1.1"), ("1e3", "1000.0"), ("1E2", "100.0"), ("-2.5", "-2.5"), ("0.001", "0.001"),
            ("0.0001", "1.0E-4"), ("12345678.9", "1.23456789E7"), ("1e7", "1.0E7"), ("-0.0", "-0.0"),
        ]
        for (number, text) in cases {
            XCTAssertEqual(try format("States.Format('{}', $.n)", input: #"{"n": \#(number)}"#), .string(text), number)
            XCTAssertEqual(try format("States.Format('{}', $.o)", input: #"{"o": {"n": \#(number)}}"#), .string("{n=\(text)}"), number)
        }
    }

    /// `\{` and `\}` in the template are braces; an argument's text is never rewritten.
    func testEscapedBracesStayInTheTemplate() throws {
        XCTAssertEqual(try format(#"States.Format('\{{}\}', $.v)"#, input: #"{"v": "{}"}"#), "{{}}")
        XCTAssertEqual(try format(#"States.Format('\{"k":{}\}', $.v)"#, input: #"{"v": {"a": 1}}"#), #"{"k":{a=1}}"#)
    }
}
