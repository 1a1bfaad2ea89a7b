import JSONCore
import StatesEngine
import UnderstudyServer
import UnderstudyTesting
import XCTest

/// Step Functions Local's mock configuration: the file's rules, its counters (one per state per
/// execution, retries and Map iterations included) and the events a mocked Task leaves.
final class MockConfigTests: XCTestCase {
    /// The documented example (sfn-local-mock-cfg-file), unchanged.
    static let documented: JSONValue = [
        "StateMachines": [
            "LambdaSQSIntegration": [
                "TestCases": [
                    "HappyPath": ["LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"],
                    "RetryPath": ["LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"],
                    "HybridPath": ["LambdaState": "MockedLambdaSuccess"],
                ]
            ]
        ],
        "MockedResponses": [
            "MockedLambdaSuccess": ["0": ["Return": ["StatusCode": 200, "Payload": ["StatusCode": 200, "body": "Hello from Lambda!"]]]],
            "MockedSQSSuccess": ["0": ["Return": ["MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"]]],
            "MockedLambdaRetry": [
                "0": ["Throw": ["Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."]],
                "1-2": ["Throw": ["Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."]],
                "3": ["Return": ["StatusCode": 200, "Payload": ["StatusCode": 200, "body": "Hello from Lambda!"]]],
            ],
        ],
    ]

    func testTheDocumentedFileReads() throws {
        let config = try MockConfig(Self.documented)
        XCTAssertEqual(config.stateMachines["LambdaSQSIntegration"]?.keys.sorted(), ["HappyPath", "HybridPath", "RetryPath"])
        XCTAssertEqual(config.responses["MockedLambdaRetry"]?.coverage, "0, 1-2, 3")
        XCTAssertEqual(config.responses["MockedLambdaRetry"]?.answer(2), .throwsError(error: "Lambda.TimeoutException", cause: "Lambda timed out."))
        XCTAssertNil(config.responses["MockedLambdaRetry"]?.answer(4))
    }

    func testABrokenFileNamesWhereItIsBroken() {
        func problem(_ json: JSONValue) -> String? {
            do {
                _ = try MockConfig(json)
                return nil
            } catch {
                return error.description
            }
        }
        XCTAssertEqual(
            problem(["MockedResponses": ["R": ["0": ["Throw": ["Cause": "x"]]]]]),
            #"MockedResponses.R."0".Throw.Error: must be a non-empty string, the error name Retry and Catch match"#)
        XCTAssertEqual(problem(["MockedResponses": ["R": ["one": ["Return": 1]]]]), #"MockedResponses.R.one: an invocation key is a number from 0 ("0") or a range ("1-2")"#)
        XCTAssertEqual(problem(["MockedResponses": ["R": ["2-1": ["Return": 1]]]]), #"MockedResponses.R."2-1": an invocation key is a number from 0 ("0") or a range ("1-2")"#)
        XCTAssertEqual(problem(["MockedResponses": ["R": ["0-2": ["Return": 1], "2": ["Return": 2]]]]), #"MockedResponses.R."2": overlaps the invocations 0-2 given before"#)
        XCTAssertEqual(problem(["MockedResponses": ["R": ["0": ["Return": 1, "Throw": ["Error": "E"]]]]]), #"MockedResponses.R."0": has both Return and Throw; give one"#)
        XCTAssertEqual(
            problem(["StateMachines": ["M": ["TestCases": ["C": ["S": "Nope"]]]], "MockedResponses": [:]]),
            "StateMachines.M.TestCases.C.S: no mocked response named 'Nope' in MockedResponses")
        XCTAssertEqual(problem(["StateMachine": [:]]), "StateMachine: unknown field; the file has only StateMachines, MockedResponses and fieldValidationMode")
        XCTAssertNil(problem(["MockedResponses": ["Empty": [:]]]), "an empty response fails only when a state uses it")
    }

    static let role = "arn:aws:iam::123456789012:role/r"

    /// Step Functions Local 2.0's counter: a Map over two items whose mock throws on 0 and
    /// returns on 1 to 3 gives ["idx1", "idx2"] (the first item's retry takes 1, the second
    /// item 2), not a fresh count per item.
    func testOneCounterPerStateAcrossRetriesAndMapIterations() async throws {
        try await InMemoryServer.with({ $0.timeScale = 0 }) { server in
            try await server.stepFunctions.setMockConfig([
                "StateMachines": ["MapMachine": ["TestCases": ["Counted": ["Work": "Numbered"]]]],
                "MockedResponses": [
                    "Numbered": [
                        "0": ["Throw": ["Error": "Custom.Error", "Cause": "first"]],
                        "1": ["Return": "idx1"], "2": ["Return": "idx2"], "3": ["Return": "idx3"],
                    ]
                ],
            ])
            let definition: JSONValue = [
                "StartAt": "Each",
                "States": [
                    "Each": [
                        "Type": "Map", "MaxConcurrency": 1, "End": true,
                        "ItemProcessor": [
                            "StartAt": "Work",
                            "States": [
                                "Work": [
                                    "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": ["FunctionName": "f", "Payload.$": "$"],
                                    "Retry": [["ErrorEquals": ["Custom.Error"], "IntervalSeconds": 1, "MaxAttempts": 3]], "End": true,
                                ]
                            ],
                        ],
                    ]
                ],
            ]
            let machine = try await server.stepFunctions.createStateMachine(name: "MapMachine", definition: definition)
            let execution = try await server.stepFunctions.startExecution(machine, input: ["a", "b"], testCase: "Counted")
            let result = try await server.stepFunctions.waitForExecution(execution)
            XCTAssertEqual(result.status, "SUCCEEDED")
            XCTAssertEqual(result.output, ["idx1", "idx2"])
        }
    }

    /// HappyPath and RetryPath of the documented file, with the events a mocked Task leaves;
    /// an unknown test case is refused saying which there are.
    func testTheDocumentedTestCases() async throws {
        try await InMemoryServer.with({ $0.timeScale = 0 }) { server in
            try await server.stepFunctions.setMockConfig(Self.documented)
            let machine = try await server.stepFunctions.createStateMachine(name: "LambdaSQSIntegration", definition: Self.lambdaSQS)
            let happy = try await server.stepFunctions.waitForExecution(
                try await server.stepFunctions.startExecution(machine, input: ["data": "x"], testCase: "HappyPath"))
            XCTAssertEqual(happy.status, "SUCCEEDED")
            XCTAssertEqual(happy.output?["MessageId"], "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51")

            let retryArn = try await server.stepFunctions.startExecution(machine, input: ["data": "x"], testCase: "RetryPath")
            let retry = try await server.stepFunctions.waitForExecution(retryArn)
            XCTAssertEqual(retry.status, "SUCCEEDED")
            let events = try await server.stepFunctions.history(retryArn)
            let failures = events.filter { $0.type == "TaskFailed" }.compactMap { $0.raw["taskFailedEventDetails"]?["error"]?.stringValue }
            XCTAssertEqual(failures, ["Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException"])
            let scheduled = try XCTUnwrap(events.first { $0.type == "TaskScheduled" })
            XCTAssertEqual(scheduled.raw["taskScheduledEventDetails"]?["resourceType"], "lambda")
            XCTAssertEqual(scheduled.raw["taskScheduledEventDetails"]?["parameters"], #"{"FunctionName":"greeter","Payload":{"data":"x"}}"#)
            XCTAssertEqual(events.filter { $0.type == "TaskSucceeded" }.count, 2)

            // HybridPath mocks only the Lambda state; the SQS state has no integration here and
            // no mock, and says so.
            let hybrid = try await server.stepFunctions.waitForExecution(
                try await server.stepFunctions.startExecution(machine, input: ["data": "x"], testCase: "HybridPath"))
            XCTAssertEqual(hybrid.status, "FAILED")
            XCTAssertEqual(hybrid.error, "States.Runtime")
            XCTAssertEqual(
                hybrid.cause,
                "An error occurred while executing the state 'SQSState' (entered at the event id #7). Understudy does not emulate "
                    + "arn:aws:states:::sqs:sendMessage: mock the state 'SQSState' in a test case of the mock configuration (SFN_MOCK_CONFIG, run with "
                    + "stateMachineArn#TestCase), or use an integration Understudy serves.")

            do {
                _ = try await server.stepFunctions.startExecution(machine, testCase: "SadPath")
                XCTFail("an unknown test case started")
            } catch let error as AWSError {
                XCTAssertEqual(error.code, "ValidationException")
                XCTAssertEqual(error.message, "The mock configuration has no test case 'SadPath' for the state machine 'LambdaSQSIntegration'; it has: HappyPath, HybridPath, RetryPath.")
            }
        }
    }

    /// JSONata states are mocked too (Step Functions Local cannot): the mock is the state's
    /// `$states.result`, and a `.sync` Task completes with it at once.
    func testJSONataAndSyncTasksAreMocked() async throws {
        try await InMemoryServer.with({ $0.timeScale = 0 }) { server in
            try await server.stepFunctions.setMockConfig([
                "StateMachines": ["Glue": ["TestCases": ["Done": ["RunJob": "JobRun"]]]],
                "MockedResponses": ["JobRun": ["0": ["Return": ["JobRunId": "jr_1", "JobRunState": "SUCCEEDED"]]]],
            ])
            let definition: JSONValue = [
                "QueryLanguage": "JSONata", "StartAt": "RunJob",
                "States": [
                    "RunJob": [
                        "Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync", "Arguments": ["JobName": "{% $states.input.job %}"],
                        "Output": "{% $states.result.JobRunState & ':' & $states.result.JobRunId %}", "End": true,
                    ]
                ],
            ]
            let machine = try await server.stepFunctions.createStateMachine(name: "Glue", definition: definition)
            let execution = try await server.stepFunctions.startExecution(machine, input: ["job": "nightly"], testCase: "Done")
            let result = try await server.stepFunctions.waitForExecution(execution)
            XCTAssertEqual(result.status, "SUCCEEDED", result.cause ?? "")
            XCTAssertEqual(result.output, "SUCCEEDED:jr_1")
            let scheduled = try await server.stepFunctions.history(execution).first { $0.type == "TaskScheduled" }
            XCTAssertEqual(scheduled?.raw["taskScheduledEventDetails"]?["parameters"], #"{"JobName":"nightly"}"#)
        }
    }

    /// `fieldValidationMode` at the top of the file and as a test case's reserved key; `NONE`
    /// without either, so Step Functions Local's files read as they did.
    func testFieldValidationModeIsReadPerFileAndPerTestCase() throws {
        let plain = try MockConfig(Self.documented)
        XCTAssertEqual(plain.fieldValidationMode, .none)
        XCTAssertEqual(plain.testCase("HappyPath", stateMachine: "LambdaSQSIntegration")?.fieldValidationMode, FieldValidationMode.none)

        var document = try XCTUnwrap(Self.documented.objectValue)
        document["fieldValidationMode"] = "PRESENT"
        var machines = try XCTUnwrap(document["StateMachines"]?.objectValue)
        machines["LambdaSQSIntegration"] = ["TestCases": ["HappyPath": ["LambdaState": "MockedLambdaSuccess", "fieldValidationMode": "STRICT"], "HybridPath": ["LambdaState": "MockedLambdaSuccess"]]]
        document["StateMachines"] = .object(machines)
        let config = try MockConfig(.object(document))
        XCTAssertEqual(config.fieldValidationMode, .present)
        let happy = try XCTUnwrap(config.testCase("HappyPath", stateMachine: "LambdaSQSIntegration"))
        XCTAssertEqual(happy.fieldValidationMode, .strict, "a test case's own value wins")
        XCTAssertEqual(config.stateMachines["LambdaSQSIntegration"]?["HappyPath"], ["LambdaState": "MockedLambdaSuccess"], "the key is no state")
        XCTAssertEqual(config.testCase("HybridPath", stateMachine: "LambdaSQSIntegration")?.fieldValidationMode, .present)

        document["fieldValidationMode"] = "LOOSE"
        XCTAssertThrowsError(try MockConfig(.object(document))) { error in
            XCTAssertEqual("\(error)", "fieldValidationMode: must be STRICT, PRESENT or NONE (TestState's fieldValidationMode)")
        }
        XCTAssertThrowsError(try MockConfig(["StateMachines": ["M": ["TestCases": ["C": ["fieldValidationMode": 1]]]]])) { error in
            XCTAssertEqual("\(error)", "StateMachines.M.TestCases.C.fieldValidationMode: must be STRICT, PRESENT or NONE (TestState's fieldValidationMode)")
        }
    }

    /// With a mode, a `Return` that does not fit its API's output fails the execution when the
    /// mocked Task runs, with TestState's words and which mock it is; Step Functions Local's
    /// documented file (a JSON `Payload`, as a run sees it) passes `STRICT`.
    func testAMockThatDoesNotFitItsAPIFailsTheExecution() async throws {
        try await InMemoryServer.with({ $0.timeScale = 0 }) { server in
            var document = try XCTUnwrap(Self.documented.objectValue)
            document["fieldValidationMode"] = "STRICT"
            var responses = try XCTUnwrap(document["MockedResponses"]?.objectValue)
            responses["MockedSQSWrong"] = ["0": ["Return": ["MessageId": ["not", "a", "string"]]]]
            document["MockedResponses"] = .object(responses)
            var machines = try XCTUnwrap(document["StateMachines"]?.objectValue)
            machines["LambdaSQSIntegration"] = [
                "TestCases": [
                    "HappyPath": ["LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"],
                    "WrongPath": ["LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSWrong"],
                    "UncheckedPath": ["LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSWrong", "fieldValidationMode": "NONE"],
                ]
            ]
            document["StateMachines"] = .object(machines)
            try await server.stepFunctions.setMockConfig(.object(document))
            let machine = try await server.stepFunctions.createStateMachine(name: "LambdaSQSIntegration", definition: Self.lambdaSQS)
            func run(_ testCase: String) async throws -> (ExecutionResult, [UnderstudyTesting.HistoryEvent]) {
                let arn = try await server.stepFunctions.startExecution(machine, input: ["data": "x"], testCase: testCase)
                return (try await server.stepFunctions.waitForExecution(arn), try await server.stepFunctions.history(arn))
            }
            let (happy, _) = try await run("HappyPath")
            XCTAssertEqual(happy.status, "SUCCEEDED")

            let (wrong, events) = try await run("WrongPath")
            XCTAssertEqual(wrong.status, "FAILED")
            XCTAssertEqual(wrong.error, "States.Runtime")
            XCTAssertEqual(
                wrong.cause,
                "An error occurred while executing the state 'SQSState' (entered at the event id #7). Mock result schema validation error: "
                    + "Field 'MessageId' must be a string (the mocked response 'MockedSQSWrong' of test case 'WrongPath', invocation 0 of the state "
                    + "'SQSState', fieldValidationMode STRICT)")
            XCTAssertEqual(events.filter { $0.type == "TaskScheduled" }.count, 1, "the mismatched Task is never scheduled")

            let (unchecked, _) = try await run("UncheckedPath")
            XCTAssertEqual(unchecked.status, "SUCCEEDED")
            XCTAssertEqual(unchecked.output?["MessageId"], ["not", "a", "string"])
        }
    }

    static let lambdaSQS: JSONValue = [
        "StartAt": "LambdaState",
        "States": [
            "LambdaState": [
                "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": ["FunctionName": "greeter", "Payload.$": "$"],
                "Retry": [["ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2]],
                "Next": "SQSState",
            ],
            "SQSState": [
                "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                "Parameters": ["QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/myQueue", "MessageBody.$": "$"], "End": true,
            ],
        ],
    ]
}
