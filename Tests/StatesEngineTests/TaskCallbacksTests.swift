import JSONCore
import StatesEngine
import Locking
import XCTest

/// Answers every scheduled activity task at once with `answer`; records what it saw.
final class AnsweringCallbacks: TaskCallbacks {
    let answer: TaskSignal?
    let delivered = Locked<[String: @Sendable (TaskSignal) -> Void]>([:])
    let finished = Locked<[(String, Bool)]>([])

    init(answer: TaskSignal?) { self.answer = answer }

    func open(token: String, deliver: @escaping @Sendable (TaskSignal) -> Void) {
        delivered.withLock { $0[token] = deliver }
    }

    func schedule(activityArn: String, token: String, input: String) -> Bool {
        guard activityArn.hasSuffix(":activity:known") else { return false }
        let deliver = delivered.withLock { $0[token] }
        deliver?(.started(workerName: "unit"))
        if let answer { deliver?(answer) }
        return true
    }

    func finish(token: String, timedOut: Bool) { finished.withLock { $0.append((token, timedOut)) } }
}

final class TaskCallbacksTests: XCTestCase {
    func run(_ definition: String, callbacks: (any TaskCallbacks)?) async throws -> (Interpreter.Outcome, [HistoryEvent]) {
        let machine = try StateMachineDefinition(text: definition)
        let history = ExecutionHistory()
        let info = ExecutionInfo(
            arn: "arn:aws:states:us-east-1:000000000000:execution:sm:e", name: "e", stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:sm",
            stateMachineName: "sm", roleArn: "arn:aws:iam::000000000000:role/r", startMillis: 1_700_000_000_000, region: "us-east-1", account: "000000000000")
        var interpreter = Interpreter(info: info, clock: InstantClock(), tasks: FlakyTasks(failures: 0), history: history, seed: 0)
        interpreter.callbacks = callbacks
        let (outcome, _) = await interpreter.run(machine, input: ["x": 1])
        return (outcome, history.all)
    }

    static func activity(_ name: String, extra: String = "") -> String {
        #"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:us-east-1:000000000000:activity:\#(name)"\#(extra),"End":true}}}"#
    }

    func testAnsweredActivityAndSpentToken() async throws {
        let callbacks = AnsweringCallbacks(answer: .succeeded(output: #"{"ok":true}"#))
        let (outcome, events) = try await run(Self.activity("known"), callbacks: callbacks)
        guard case .succeeded(let output) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(output, ["ok": true])
        XCTAssertEqual(events.map(\.type.rawValue), ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"])
        let finished = callbacks.finished.withLock { $0 }
        XCTAssertEqual(finished.count, 1)
        XCTAssertTrue(finished[0].0.hasPrefix("AQC"))
        XCTAssertFalse(finished[0].1)
    }

    func testUnknownActivityAndNoServerFailTheSchedule() async throws {
        for callbacks in [AnsweringCallbacks(answer: nil) as (any TaskCallbacks)?, nil] {
            let (outcome, events) = try await run(Self.activity("missing"), callbacks: callbacks)
            guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
            XCTAssertEqual(error.error, "States.Runtime")
            XCTAssertTrue(events.map(\.type.rawValue).contains("ActivityScheduleFailed"))
        }
    }

    func testHeartbeatLapsesOnAnInstantClockAndTimeoutRetriesIt() async throws {
        let callbacks = AnsweringCallbacks(answer: nil)
        let retry = #","HeartbeatSeconds":5,"Retry":[{"ErrorEquals":["States.Timeout"],"MaxAttempts":1}]"#
        let (outcome, events) = try await run(Self.activity("known", extra: retry), callbacks: callbacks)
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.HeartbeatTimeout")
        XCTAssertEqual(events.filter { $0.type.rawValue == "ActivityTimedOut" }.count, 2)
        let tokens = callbacks.finished.withLock { $0 }
        XCTAssertEqual(tokens.map(\.1), [true, true])
        XCTAssertNotEqual(tokens[0].0, tokens[1].0, "each attempt has a token of its own")
    }

    func testFailureAnswerAndTokenInContext() async throws {
        let callbacks = AnsweringCallbacks(answer: .failed(error: "No", cause: "because"))
        let (outcome, _) = try await run(Self.activity("known"), callbacks: callbacks)
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual([error.error, error.cause], ["No", "because"])

        // `.waitForTaskToken`: the token is in `$$.Task.Token` when Parameters are built.
        let definition = #"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:putObject.waitForTaskToken","TimeoutSeconds":5,"Parameters":{"t.$":"$$.Task.Token"},"End":true}}}"#
        let (timedOut, events) = try await run(definition, callbacks: AnsweringCallbacks(answer: nil))
        guard case .failed(let timeout) = timedOut else { return XCTFail("\(timedOut)") }
        XCTAssertEqual(timeout.error, "States.Timeout")
        XCTAssertEqual(Array(events.map(\.type.rawValue).suffix(4)), ["TaskStarted", "TaskSubmitted", "TaskTimedOut", "ExecutionFailed"])
        let parameters = events.first { $0.type.rawValue == "TaskScheduled" }?.details?.value["parameters"]?.stringValue ?? ""
        XCTAssertTrue(parameters.hasPrefix(#"{"t":"AQC"#), parameters)
    }
}
