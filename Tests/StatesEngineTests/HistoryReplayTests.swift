import JSONCore
import Locking
import StatesEngine
import XCTest

/// Answers every call with its parameters and counts the calls, by their parameters.
final class CountingTasks: TaskInvoker {
    let calls = Locked<[String]>([])
    /// Up to this many microseconds per call, drawn at random: branches then finish in
    /// another order on every run.
    let jitterMicros: UInt64

    init(jitterMicros: UInt64 = 0) { self.jitterMicros = jitterMicros }

    func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        calls.withLock { $0.append(parameters.jsonString) }
        if jitterMicros > 0 { try? await Task.sleep(nanoseconds: UInt64.random(in: 0...jitterMicros) * 1_000) }
        return ["echo": parameters]
    }
}

/// Time that passes in no time but is not instant: fan-outs run their branches concurrently.
struct ConcurrentClock: ExecutionClock {
    func nowMillis() -> Int64 { 1_700_000_000_000 }
    func sleep(milliseconds: Int64) async { await Task.yield() }
    var isInstant: Bool { false }
}

/// An execution resumed from any prefix of its history (as a `kill -9` leaves it: the
/// journal writes events in id order) ends as the uninterrupted run did, calls no Task whose
/// outcome was recorded, records no event twice, and keeps its ids consecutive.
final class HistoryReplayTests: XCTestCase {
    static let retry = #""Retry":[{"ErrorEquals":["States.TaskFailed"],"MaxAttempts":2}]"#
    static func call(_ payload: String) -> String {
        #""Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload":\#(payload)},\#(retry)"#
    }

    static let machine = """
        {"StartAt":"Prep","States":{
         "Prep":{"Type":"Pass","Parameters":{"id.$":"States.UUID()","q.$":"$.q","items.$":"$.items"},"Next":"Ask"},
         "Ask":{\(call(#"{"q.$":"$.q"}"#)),"ResultPath":"$.a","Next":"Pause"},
         "Pause":{"Type":"Wait","Seconds":5,"Next":"Both"},
         "Both":{"Type":"Parallel","ResultPath":"$.both","Next":"Each","Branches":[
           {"StartAt":"L","States":{"L":{\(call(#"{"side":"l"}"#)),"End":true}}},
           {"StartAt":"U","States":{"U":{"Type":"Pass","Parameters":{"u.$":"States.UUID()"},"Next":"R"},
             "R":{\(call(#"{"side":"r","u.$":"$.u"}"#)),"End":true}}}]},
         "Each":{"Type":"Map","ItemsPath":"$.items","ResultPath":"$.each","End":true,
           "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"One","States":{"One":{\(call(#"{"i.$":"$"}"#)),"End":true}}}}
        }}
        """

    static let info = ExecutionInfo(
        arn: "arn:aws:states:us-east-1:000000000000:execution:sm:e", name: "e", stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:sm",
        stateMachineName: "sm", roleArn: "arn:aws:iam::000000000000:role/r", startMillis: 1_700_000_000_000, region: "us-east-1", account: "000000000000")

    func run(_ history: ExecutionHistory, tasks: CountingTasks, clock: any ExecutionClock = InstantClock()) async throws -> Interpreter.Outcome {
        let machine = try StateMachineDefinition(text: Self.machine)
        let input: JSONValue = ["q": "why", "items": [1, 2, 3]]
        return await Interpreter(info: Self.info, clock: clock, tasks: tasks, history: history, seed: 7).run(machine, input: input).0
    }

    /// As the database gives events back: their records read again.
    static func stored(_ events: ArraySlice<HistoryEvent>) -> [HistoryEvent] {
        events.compactMap { HistoryEvent(record: (try? JSONParser.parse($0.record.jsonString)) ?? .null) }
    }

    static let outcomes: Set<String> = ["TaskSucceeded", "TaskFailed", "TaskTimedOut"]

    func testResumesFromEveryPrefix() async throws {
        try await resumeFromEveryPrefix(clock: InstantClock(), jitterMicros: 0)
    }

    /// Branches that take turns in another order in the replay than in the recorded run.
    func testResumesConcurrentBranchesFromEveryPrefix() async throws {
        try await resumeFromEveryPrefix(clock: ConcurrentClock(), jitterMicros: 300)
    }

    func resumeFromEveryPrefix(clock: any ExecutionClock, jitterMicros: UInt64) async throws {
        let full = ExecutionHistory(), firstCalls = CountingTasks(jitterMicros: jitterMicros)
        guard case .succeeded(let expected) = try await run(full, tasks: firstCalls, clock: clock) else { return XCTFail("the uninterrupted run failed") }
        let recorded = full.all
        let calls = firstCalls.calls.withLock { $0 }
        XCTAssertEqual(calls.count, 6)
        XCTAssertEqual(Set(recorded.map(\.lane)), ["", "0", "1", "2"], "Parallel branches and Map iterations each have a lane")
        for cut in 1..<recorded.count {
            let history = ExecutionHistory(restoring: Self.stored(recorded[..<cut]))
            history.replayRecorded()
            let tasks = CountingTasks(jitterMicros: jitterMicros)
            let outcome = try await run(history, tasks: tasks, clock: clock)
            guard case .succeeded(let output) = outcome else { return XCTFail("cut \(cut): \(outcome)") }
            XCTAssertEqual(output, expected, "cut \(cut)")
            let events = history.all
            XCTAssertEqual(events.map(\.id), Array(1...events.count), "cut \(cut): consecutive ids")
            XCTAssertEqual(events.prefix(cut).map(\.type), recorded.prefix(cut).map(\.type), "cut \(cut): the recorded events stay")
            XCTAssertEqual(events.last?.type, .executionSucceeded)
            XCTAssertEqual(events.filter { $0.type == .executionStarted }.count, 1, "cut \(cut)")
            let answered = recorded.prefix(cut).filter { Self.outcomes.contains($0.type.rawValue) }.count
            XCTAssertEqual(tasks.calls.withLock { $0 }.count, calls.count - answered, "cut \(cut): no recorded call is made again")
            // A call under way at the cut fails as States.TaskFailed, and its Retry calls again.
            let interrupted = events.filter { ($0.details?.value["cause"]?.stringValue ?? "").hasPrefix("Understudy stopped") }.count
            // One per lane whose last recorded event is a call's start (concurrent branches
            // may have several under way).
            let lastByLane = Dictionary(recorded.prefix(cut).map { ($0.lane, $0.type) }, uniquingKeysWith: { $1 })
            let inFlight = lastByLane.values.filter { [.taskScheduled, .taskStarted].contains($0) }.count
            XCTAssertEqual(interrupted, inFlight, "cut \(cut)")
            if inFlight == 0 {
                // Lane by lane the same events as uninterrupted (lanes may interleave otherwise).
                func byLane(_ list: [HistoryEvent]) -> [String: [HistoryEventType]] { Dictionary(grouping: list, by: \.lane).mapValues { $0.map(\.type) } }
                XCTAssertEqual(byLane(events), byLane(recorded), "cut \(cut): the same events as uninterrupted")
                if jitterMicros == 0 { XCTAssertEqual(events.map(\.previousEventId), recorded.map(\.previousEventId), "cut \(cut)") }
            }
            for event in events.dropFirst() {
                XCTAssertTrue(event.previousEventId > 0 && event.previousEventId < event.id, "cut \(cut): event \(event.id) follows an earlier one")
            }
        }
    }

    func testActivityTakenBeforeTheRestartWaitsOnTheSameToken() async throws {
        let machine = try StateMachineDefinition(text: TaskCallbacksTests.activity("known"))
        let first = ExecutionHistory(), waiting = AnsweringCallbacks(answer: nil)
        var interpreter = Interpreter(info: Self.info, clock: InstantClock(), tasks: CountingTasks(), history: first, seed: 3)
        interpreter.callbacks = waiting
        let running = Task { [interpreter] in await interpreter.run(machine, input: ["x": 1]).0 }
        while !first.all.contains(where: { $0.type == .activityStarted }) { try await Task.sleep(nanoseconds: 1_000_000) }
        let token = try XCTUnwrap(waiting.delivered.withLock { $0.keys.first })
        running.cancel()
        _ = await running.value

        let resumed = ExecutionHistory(restoring: Self.stored(first.all.prefix { $0.type != .executionAborted }))
        resumed.replayRecorded()
        let again = RecordingCallbacks()
        interpreter = Interpreter(info: Self.info, clock: InstantClock(), tasks: CountingTasks(), history: resumed, seed: 3)
        interpreter.callbacks = again
        let resuming = Task { [interpreter] in await interpreter.run(machine, input: ["x": 1]).0 }
        while again.opened.withLock({ $0[token] }) == nil { try await Task.sleep(nanoseconds: 1_000_000) }
        XCTAssertEqual(again.scheduled.withLock { $0 }, [], "a worker had it: not queued again")
        again.opened.withLock { $0[token] }?(.succeeded(output: #"{"done":true}"#))
        guard case .succeeded(let output) = await resuming.value else { return XCTFail("not resumed") }
        XCTAssertEqual(output, ["done": true])
        XCTAssertEqual(
            resumed.all.map(\.type.rawValue),
            ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"])
    }
}

/// A clock the test sets, which remembers every sleep and moves by it.
final class SteppedClock: ExecutionClock {
    let state: Locked<(now: Int64, sleeps: [Int64])>
    init(at millis: Int64) { state = Locked((millis, [])) }
    func nowMillis() -> Int64 { state.withLock { $0.now } }
    func sleep(milliseconds: Int64) async { state.withLock { $0.now += milliseconds; $0.sleeps.append(milliseconds) } }
    var isInstant: Bool { true }
}

extension HistoryReplayTests {
    /// A Wait runs from its recorded WaitStateEntered: what is left of it after a restart,
    /// nothing when its end was recorded.
    func testWaitIsMeasuredFromItsRecordedStart() async throws {
        let machine = try StateMachineDefinition(text: #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"Next":"P"},"P":{"Type":"Pass","End":true}}}"#)
        func run(_ history: ExecutionHistory, _ clock: SteppedClock) async -> Interpreter.Outcome {
            await Interpreter(info: Self.info, clock: clock, tasks: CountingTasks(), history: history, seed: 1).run(machine, input: [:]).0
        }
        let first = ExecutionHistory()
        _ = await run(first, SteppedClock(at: 1_000_000))
        XCTAssertEqual(first.all.map(\.type), [.executionStarted, .waitStateEntered, .waitStateExited, .passStateEntered, .passStateExited, .executionSucceeded])
        for (cut, restartAt, slept) in [(2, 1_003_000, [Int64(2_000)]), (2, 1_009_000, []), (3, 1_003_000, [])] {
            let history = ExecutionHistory(restoring: Self.stored(first.all.prefix(cut)))
            history.replayRecorded()
            let clock = SteppedClock(at: Int64(restartAt))
            guard case .succeeded = await run(history, clock) else { return XCTFail("cut \(cut)") }
            XCTAssertEqual(clock.state.withLock { $0.sleeps }.filter { $0 > 0 }, slept, "cut \(cut) at \(restartAt)")
            XCTAssertEqual(history.all.count, 6)
            XCTAssertEqual(history.all[2].timestampMillis, cut == 3 ? first.all[2].timestampMillis : max(Int64(restartAt), 1_005_000))
        }
    }
}

/// Remembers the tokens opened and the activity tasks queued; answers nothing itself.
final class RecordingCallbacks: TaskCallbacks {
    let opened = Locked<[String: @Sendable (TaskSignal) -> Void]>([:])
    let scheduled = Locked<[String]>([])

    func open(token: String, deliver: @escaping @Sendable (TaskSignal) -> Void) { opened.withLock { $0[token] = deliver } }
    func schedule(activityArn: String, token: String, input: String) -> Bool {
        scheduled.withLock { $0.append(token) }
        return true
    }
    func finish(token: String, timedOut: Bool) {}
}
