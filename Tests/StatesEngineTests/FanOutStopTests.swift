import JSONCore
import Locking
import XCTest

@testable import StatesEngine

/// A Map or Parallel stops starting branches once its execution is stopped or past its
/// deadline (issue 19): with every failure tolerated, a stopped Map used to start each of
/// its remaining iterations (each failing at once), and a Map retried without end went on
/// after StopExecution.
final class FanOutStopTests: XCTestCase {
    /// Answers every call, and on call number `stopAt` stops the execution: cancels the
    /// calling task, or with `outer` the task `execution` names (set before it starts).
    final class StoppingTasks: TaskInvoker, Sendable {
        let stopAt: Int
        let outer: Bool
        let calls = Locked(0)
        let execution = Locked<Task<Interpreter.Outcome, Never>?>(nil)

        init(stopAt: Int, outer: Bool = false) {
            self.stopAt = stopAt
            self.outer = outer
        }

        func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
            let call = calls.withLock { calls in
                calls += 1
                return calls
            }
            guard call == stopAt else { return parameters }
            if outer { execution.withLock { $0 }?.cancel() } else { withUnsafeCurrentTask { $0?.cancel() } }
            return parameters
        }
    }

    /// A clock that is not instant but never really waits: the fan-out runs its branches as
    /// tasks taking turns, as it does in real time.
    final class TurnTakingClock: ExecutionClock {
        let now = Locked<Int64>(1_700_000_000_000)
        func nowMillis() -> Int64 { now.withLock { $0 } }
        func sleep(milliseconds: Int64) async { now.withLock { $0 = ExecutionTime.adding($0, milliseconds) } }
        var isInstant: Bool { false }
    }

    private func interpreter(_ clock: any ExecutionClock, _ tasks: any TaskInvoker, _ history: ExecutionHistory) -> Interpreter {
        let info = ExecutionInfo(
            arn: "arn:aws:states:us-east-1:000000000000:execution:sm:e", name: "e", stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:sm",
            stateMachineName: "sm", roleArn: "arn:aws:iam::000000000000:role/r", startMillis: clock.nowMillis(), region: "us-east-1", account: "000000000000")
        return Interpreter(info: info, clock: clock, tasks: tasks, history: history, seed: 0)
    }

    /// A Map over 200 items, every failure tolerated, each iteration one Task (or a Wait).
    private func toleratingMap(_ iteration: String, timeout: Int? = nil) throws -> StateMachineDefinition {
        let limit = timeout.map { #""TimeoutSeconds":\#($0),"# } ?? ""
        return try StateMachineDefinition(
            text: #"""
                {\#(limit)"StartAt":"Items","States":{
                 "Items":{"Type":"Pass","Parameters":{"xs.$":"States.ArrayRange(1, 200, 1)"},"Next":"M"},
                 "M":{"Type":"Map","ItemsPath":"$.xs","ToleratedFailurePercentage":100,"End":true,
                  "ItemProcessor":{"StartAt":"I","States":{"I":\#(iteration)}}}}}
                """#)
    }

    private let task = #"{"Type":"Task","Resource":"arn:aws:states:::bedrock:invokeModel","Parameters":{"n.$":"$"},"End":true}"#

    private func iterationsStarted(_ history: ExecutionHistory) -> Int {
        history.all.filter { $0.type == .mapIterationStarted }.count
    }

    func testAStoppedMapStartsNoMoreIterationsOnAnInstantClock() async throws {
        let tasks = StoppingTasks(stopAt: 3)
        let history = ExecutionHistory()
        let machine = try toleratingMap(task)
        let (outcome, _) = await interpreter(InstantClock(), tasks, history).run(machine, input: [:])
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, StatesError(.aborted, nil).error)
        XCTAssertEqual(iterationsStarted(history), 3, "the iteration that was stopped is the last one started")
        XCTAssertEqual(tasks.calls.withLock { $0 }, 3)
    }

    /// Guards the task-group path, which already stopped (a cancelled task's event stream ends).
    func testAStoppedMapStartsNoMoreIterationsWhenTheyTakeTurns() async throws {
        let tasks = StoppingTasks(stopAt: 3, outer: true)
        let history = ExecutionHistory()
        let machine = try toleratingMap(task)
        let interpreter = interpreter(TurnTakingClock(), tasks, history)
        // The execution starts once the tasks know it, so the third call can stop it.
        let (go, started) = AsyncStream<Void>.makeStream()
        let execution = Task {
            for await _ in go { break }
            return await interpreter.run(machine, input: [:]).0
        }
        tasks.execution.withLock { $0 = execution }
        started.yield()
        let outcome = await execution.value
        guard case .failed(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, StatesError(.aborted, nil).error)
        XCTAssertLessThanOrEqual(iterationsStarted(history), 4, "at most the one started while the third was stopped")
        XCTAssertLessThanOrEqual(tasks.calls.withLock { $0 }, 4)
    }

    func testAMapPastItsDeadlineStartsNoMoreIterationsOnAnInstantClock() async throws {
        let history = ExecutionHistory()
        let machine = try toleratingMap(#"{"Type":"Wait","Seconds":20,"End":true}"#, timeout: 50)
        let (outcome, _) = await interpreter(SkippingClock(), StoppingTasks(stopAt: 0), history).run(machine, input: [:])
        guard case .timedOut(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.Timeout")
        XCTAssertEqual(iterationsStarted(history), 3, "20 s, 40 s, then the third is cut at 50 s")
        XCTAssertEqual(history.all.last?.type, .executionTimedOut)
    }

    func testAMapPastItsDeadlineStartsNoMoreIterationsWhenTheyTakeTurns() async throws {
        let history = ExecutionHistory()
        let machine = try toleratingMap(#"{"Type":"Wait","Seconds":20,"End":true}"#, timeout: 50)
        let (outcome, _) = await interpreter(TurnTakingClock(), StoppingTasks(stopAt: 0), history).run(machine, input: [:])
        guard case .timedOut(let error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(error.error, "States.Timeout")
        // Each iteration's wait lets the next start, so a few overlap before the deadline.
        XCTAssertLessThanOrEqual(iterationsStarted(history), 5)
        XCTAssertEqual(history.all.last?.type, .executionTimedOut)
    }
}
