import JSONCore
import XCTest

@testable import StatesEngine

/// TestState runs a lone state once: a retriable error answers RETRIABLE without running the
/// retries, however many attempts the retrier allows (issue 19: a Map with a Retry of
/// 99999999 attempts never answered).
/// https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
final class StateTesterTests: XCTestCase {
    private func test(_ state: String, input: JSONValue, tasks: any TaskInvoker = FlakyTasks(failures: 0)) async throws -> StateTester.Result {
        let definition = try StateDefinition.single(name: "S", json: try JSONParser.parse(state))
        let info = ExecutionInfo(
            arn: "arn:aws:states:us-east-1:000000000000:execution:sm:e", name: "e", stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:sm",
            stateMachineName: "sm", roleArn: "arn:aws:iam::000000000000:role/r", startMillis: 1_700_000_000_000, region: "us-east-1", account: "000000000000")
        let interpreter = Interpreter(info: info, clock: InstantClock(), tasks: tasks, history: ExecutionHistory(), seed: 0)
        return await StateTester(interpreter: interpreter).test(definition, input: input, mock: nil, retryCount: 0)
    }

    func testAMapWithAHugeRetryAnswersRetriable() async throws {
        for attempts in [3, 99_999_999] {
            let result = try await test(
                #"""
                {"Type":"Map","QueryLanguage":"JSONata","Items":"{% $states.input.s %}","End":true,
                 "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
                 "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":\#(attempts)}]}
                """#, input: ["s": "no list"])
            XCTAssertEqual(result.status, .retriable, "MaxAttempts \(attempts)")
            XCTAssertEqual(result.error?.error, "States.QueryEvaluationError")
        }
    }

    func testARetriableTaskIsCalledOnce() async throws {
        for language in ["JSONata", "JSONPath"] {
            let tasks = FlakyTasks(failures: .max)
            let result = try await test(
                #"""
                {"Type":"Task","QueryLanguage":"\#(language)","Resource":"arn:aws:states:::bedrock:invokeModel","End":true,
                 "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3}]}
                """#, input: [:], tasks: tasks)
            XCTAssertEqual(result.status, .retriable, language)
            XCTAssertEqual(result.error?.error, "Bedrock.ThrottlingException")
            XCTAssertEqual(tasks.calls, 1, "\(language): TestState runs the state once, the retries are the caller's")
        }
    }

    func testAParallelWhoseRetrierIsSpentFails() async throws {
        let result = try await test(
            #"""
            {"Type":"Parallel","End":true,"Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Custom.E"}}}],
             "Retry":[{"ErrorEquals":["Custom.E"],"MaxAttempts":0}]}
            """#, input: [:])
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.error?.error, "Custom.E")
    }
}
