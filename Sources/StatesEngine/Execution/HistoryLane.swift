import JSONCore
import Locking

/// A chain of history events inside one lane (the execution, a branch, an iteration): each
/// event's `previousEventId` is the lane's last one.
final class HistoryLane: Sendable {
    let history: ExecutionHistory
    let clock: any ExecutionClock
    /// Where the lane is in the execution: "" for the execution itself, then the index of
    /// each Parallel branch or Map iteration on the way ("1/4"). The same in every run of
    /// the same execution, whatever order the branches take turns in.
    let path: String
    private let lastEvent: Locked<Int>

    init(history: ExecutionHistory, clock: any ExecutionClock, last: Int, path: String = "") {
        self.history = history
        self.clock = clock
        self.path = path
        lastEvent = Locked(last)
    }

    var last: Int { lastEvent.withLock { $0 } }

    @discardableResult
    func add(_ type: HistoryEventType, _ details: JSONValue? = nil, payload: (member: String, value: JSONValue)? = nil) -> Int {
        let at = clock.nowMillis()
        return lastEvent.withLock { last in
            last = history.add(type, after: last, at: at, details: details, payload: payload, lane: path)
            return last
        }
    }

    /// The lane of branch or iteration `index` inside this one.
    func branch(_ index: Int) -> HistoryLane {
        HistoryLane(history: history, clock: clock, last: last, path: path.isEmpty ? String(index) : path + "/" + String(index))
    }

    /// The events that open and close an execution (a top-level one or a map run's child).
    func executionStarted(input: JSONValue, roleArn: String) {
        add(.executionStarted, ["input": .null, "inputDetails": ["truncated": false], "roleArn": .string(roleArn)], payload: ("input", input))
    }

    func executionSucceeded(output: JSONValue) {
        add(.executionSucceeded, ["output": .null, "outputDetails": ["truncated": false]], payload: ("output", output))
    }

    /// ExecutionFailed, ExecutionTimedOut or ExecutionAborted.
    func executionEnded(_ type: HistoryEventType, _ error: StatesError) {
        add(type, ExecutionHistory.endDetails(error: error.error, cause: error.cause))
    }
}
