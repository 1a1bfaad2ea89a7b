import JSONCore
import Locking
import XCTest

@testable import StatesEngine

/// A Wait state's SecondsPath that selects no usable integer fails the execution with
/// States.Runtime in AWS's words (issue 22): nothing selected, a negative integer, or a value
/// Java's `Long.parseLong` cannot read.
final class WaitSecondsPathTests: XCTestCase {
    private static let definition =
        #"{"Comment":"WAIT_SECONDS_PATH","StartAt":"WaitState","States":{"WaitState":{"Type":"Wait","SecondsPath":"$.input.waitSeconds","End":true}}}"#
    private static let prefix = "An error occurred while executing the state 'WaitState' (entered at the event id #2). "

    private func run(_ input: String) async throws -> (error: StatesError?, sleeps: [Int64]) {
        let machine = try StateMachineDefinition(text: Self.definition)
        let clock = SkippingClock()
        let info = ExecutionInfo(
            arn: "arn:aws:states:us-east-1:000000000000:execution:sm:e", name: "e", stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:sm",
            stateMachineName: "sm", roleArn: "arn:aws:iam::000000000000:role/r", startMillis: 1_700_000_000_000, region: "us-east-1", account: "000000000000")
        let interpreter = Interpreter(info: info, clock: clock, tasks: FlakyTasks(failures: 0), history: ExecutionHistory(), seed: 0)
        let (outcome, _) = await interpreter.run(machine, input: try JSONParser.parse(input))
        if case .failed(let error) = outcome { return (error, clock.sleeps.withLock { $0 }) }
        return (nil, clock.sleeps.withLock { $0 })
    }

    /// The two causes AWS recorded: conformance cases base.test_wait.test_base_wait_seconds_path_-1
    /// and logs.test_logs.test_base_wait_seconds_path.json5_ALL_False.
    func testRecordedCauses() async throws {
        let negative = try await run(#"{"input": {"waitSeconds": -1}}"#).error
        XCTAssertEqual(negative?.error, "States.Runtime")
        XCTAssertEqual(negative?.cause, Self.prefix + "The SecondsPath parameter references a negative value: $.input.waitSeconds == -1")
        let missing = try await run("{}").error
        XCTAssertEqual(missing?.error, "States.Runtime")
        XCTAssertEqual(missing?.cause, Self.prefix + "The SecondsPath parameter does not reference an input value: $.input.waitSeconds")
    }

    /// Fractions, exponents, integers beyond 64 bits and non-numbers cannot be parsed as a
    /// long; the value is shown as Java writes it (a Double as `Double.toString`).
    func testValuesThatAreNoLong() async throws {
        let cases: [(String, String)] = [
            ("1.5", "1.5"), ("-1.5", "-1.5"), ("1.0", "1.0"), ("0.0", "0.0"), ("1e3", "1000.0"),
            ("9223372036854775808", "9223372036854775808"), ("-9223372036854775809", "-9223372036854775809"),
            (#""abc""#, "abc"), (#""1.5""#, "1.5"), (#""""#, ""), ("true", "true"), ("null", "null"), (#"{"a": 1}"#, "{a=1}"), ("[1, 2]", "[1, 2]"),
        ]
        for (value, shown) in cases {
            let ran = try await run(#"{"input": {"waitSeconds": \#(value)}}"#)
            XCTAssertEqual(ran.error?.error, "States.Runtime", value)
            XCTAssertEqual(ran.error?.cause, Self.prefix + "The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == \(shown)", value)
            XCTAssertEqual(ran.sleeps, [], value)
        }
    }

    /// A 64-bit integer waits, numeric text included (`Long.parseLong` reads `"10"` and `"-5"`).
    func testLongsWait() async throws {
        let cases: [(String, [Int64])] = [("0", []), ("1", [1000]), ("-0", []), (#""10""#, [10_000]), (#""+2""#, [2000])]
        for (value, sleeps) in cases {
            let ran = try await run(#"{"input": {"waitSeconds": \#(value)}}"#)
            XCTAssertNil(ran.error, value)
            XCTAssertEqual(ran.sleeps, sleeps, value)
        }
        let negativeText = try await run(#"{"input": {"waitSeconds": "-5"}}"#).error
        XCTAssertEqual(negativeText?.cause, Self.prefix + "The SecondsPath parameter references a negative value: $.input.waitSeconds == -5")
    }
}
