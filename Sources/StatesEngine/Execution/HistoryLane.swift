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
    /// The lane's last event: its id, its time, and whether it was a recorded one a replay
    /// took rather than a new one.
    private let lastEvent: Locked<(id: Int, millis: Int64, replayed: Bool)>

    init(history: ExecutionHistory, clock: any ExecutionClock, last: Int, path: String = "", lastMillis: Int64? = nil, replayed: Bool = false) {
        self.history = history
        self.clock = clock
        self.path = path
        lastEvent = Locked((last, lastMillis ?? clock.nowMillis(), replayed))
    }

    var last: Int { lastEvent.withLock { $0.id } }

    /// When the lane's last event happened: what a state's `EnteredTime` is, and where a
    /// replayed wait is measured from.
    var lastMillis: Int64 { lastEvent.withLock { $0.millis } }

    /// Records an event after the lane's last. `branch` files it under one of the lane's
    /// branches for replay (a Map's MapIterationStarted and MapIterationSucceeded, which chain
    /// in the Map's lane but come in whatever order the iterations run).
    @discardableResult
    func add(_ type: HistoryEventType, _ details: JSONValue? = nil, payload: (member: String, value: JSONValue)? = nil, branch: Int? = nil) -> Int {
        let at = clock.nowMillis()
        let filed = branch.map(branchPath) ?? path
        return lastEvent.withLock { last in
            let recorded = history.record(type, after: last.id, at: at, details: details, payload: payload, lane: filed)
            last = recorded
            return recorded.id
        }
    }

    /// The lane of branch or iteration `index` inside this one.
    func branch(_ index: Int) -> HistoryLane {
        let (last, millis, replayed) = lastEvent.withLock { $0 }
        return HistoryLane(
            history: history, clock: clock, last: last, path: branchPath(index), lastMillis: millis, replayed: replayed)
    }

    private func branchPath(_ index: Int) -> String { path.isEmpty ? String(index) : path + "/" + String(index) }

    // MARK: - Replay

    /// Whether recorded events of this lane are still ahead of its replay.
    var isReplaying: Bool { history.isReplaying(lane: path) }

    /// The recorded events ahead of the replay, the next first.
    var recordedAhead: ArraySlice<HistoryEvent> { history.recordedAhead(lane: path) }

    /// Whether the lane's last event is a recorded one and none is left: the replay has just
    /// caught up with where the execution was when Understudy stopped.
    var isAtRecordedEnd: Bool { lastEvent.withLock { $0.replayed } && !isReplaying }

    /// What is left of a wait of `millis` that began with the lane's last event: all of it as
    /// the execution runs; nothing while recorded events follow (they show it ended); and,
    /// when the replay reaches the wait's start, whatever of it the time since has not used.
    func remaining(_ millis: Int64) -> Int64 {
        if isReplaying { return 0 }
        let (_, since, replayed) = lastEvent.withLock { $0 }
        guard replayed else { return millis }
        return max(0, ExecutionTime.subtracting(ExecutionTime.adding(since, millis), clock.nowMillis()))
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
