import JSONCore
import Locking
import XCTest

@testable import StatesEngine

/// An EXPRESS execution ends at five minutes of its clock, and keeps a bounded history
/// whatever it loops over (issue 19).
final class ExpressLimitsTests: XCTestCase {
    private func run(_ definition: String, express: Bool, tasks: any TaskInvoker = FlakyTasks(failures: 0)) async throws -> (Interpreter.Outcome, ExecutionHistory, SkippingClock) {
        let machine = try StateMachineDefinition(text: definition)
        let clock = SkippingClock()
        let history = ExecutionHistory(maximumEvents: express ? nil : ExecutionHistory.standardMaximumEvents)
        let kind = express ? "express" : "execution"
        let info = ExecutionInfo(
            arn: "arn:aws:states:us-east-1:000000000000:\(kind):sm:e", name: "e", stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:sm",
            stateMachineName: "sm", roleArn: "arn:aws:iam::000000000000:role/r", startMillis: clock.nowMillis(), region: "us-east-1", account: "000000000000")
        let interpreter = Interpreter(info: info, clock: clock, tasks: tasks, history: history, seed: 0)
        let (outcome, _) = await interpreter.run(machine, input: [:])
        return (outcome, history, clock)
    }

    /// Waits ten seconds and loops back, forever.
    private let waitingLoop = #"""
        {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"Next":"C"},
         "C":{"Type":"Choice","Choices":[{"Variable":"$.done","IsPresent":true,"Next":"Done"}],"Default":"W"},
         "Done":{"Type":"Succeed"}}}
        """#

    func testAnExpressLoopTimesOutAtFiveMinutesWithBoundedHistory() async throws {
        let (outcome, history, clock) = try await run(waitingLoop, express: true)
        guard case .timedOut(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.Timeout")
        XCTAssertEqual(clock.sleeps.withLock { $0.reduce(0, +) }, Interpreter.expressMaximumMillis)
        // 30 rounds of four events: within the retained events, all kept.
        XCTAssertEqual(history.all.last?.type, .executionTimedOut)
        XCTAssertEqual(history.droppedEvents, 0)
    }

    func testAnExpressHistoryKeepsItsFirstEventsAndItsEnd() async throws {
        // A Choice loop without waits reaches the five minutes only when the clock moves;
        // a Pass chain that long shows the cap instead: 2,000 states, 4,000 events.
        var states: [String] = []
        for i in 0..<2_000 {
            states.append(#""S\#(i)":{"Type":"Pass",\#(i == 1_999 ? #""End":true"# : #""Next":"S\#(i + 1)""#)}"#)
        }
        let chain = #"{"StartAt":"S0","States":{\#(states.joined(separator: ","))}}"#
        let (outcome, history, _) = try await run(chain, express: true)
        guard case .succeeded = outcome else { return XCTFail("\(outcome)") }
        let events = history.all
        XCTAssertEqual(events.count, ExecutionHistory.retainedExpressEvents + 1)
        XCTAssertEqual(events.last?.type, .executionSucceeded)
        XCTAssertEqual(events.last?.id, 4_002, "ids count the dropped events")
        XCTAssertEqual(history.droppedEvents, 4_002 - ExecutionHistory.retainedExpressEvents - 1)

        let (standard, standardHistory, _) = try await run(chain, express: false)
        guard case .succeeded = standard else { return XCTFail("\(standard)") }
        XCTAssertEqual(standardHistory.all.count, 4_002, "a STANDARD history keeps every event")
    }

    func testAStandardExecutionHasNoFiveMinuteLimit() async throws {
        let definition = #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}"#
        let (outcome, _, _) = try await run(definition, express: false)
        guard case .succeeded = outcome else { return XCTFail("\(outcome)") }
        let (express, _, _) = try await run(definition, express: true)
        guard case .timedOut = express else { return XCTFail("\(express)") }
    }

    /// A retrier with attempts to spare on a Task that always fails: the backoff runs into
    /// the five minutes (at rate 1 and 2, and with full jitter) instead of retrying forever.
    func testRetriesWithoutEndStopAtTheExpressDeadline() async throws {
        for (rate, jitter) in [("2.0", "NONE"), ("1.0", "NONE"), ("2.0", "FULL")] {
            let definition = """
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::bedrock:invokeModel","End":true,
                 "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":99999999,"IntervalSeconds":1,
                 "BackoffRate":\(rate),"JitterStrategy":"\(jitter)"}]}}}
                """
            let tasks = FlakyTasks(failures: .max)
            let (outcome, history, clock) = try await run(definition, express: true, tasks: tasks)
            guard case .timedOut(let error) = outcome else { return XCTFail("rate \(rate) \(jitter): \(outcome)") }
            XCTAssertEqual(error.error, "States.Timeout")
            XCTAssertLessThanOrEqual(clock.nowMillis() - 1_700_000_000_000, Interpreter.expressMaximumMillis)
            XCTAssertEqual(history.all.last?.type, .executionTimedOut)
            XCTAssertGreaterThan(tasks.calls, 1)
        }
    }
}
