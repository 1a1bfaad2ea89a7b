import AWSWire
import JSONCore
import Locking

/// One history event as GetExecutionHistory returns it.
public struct HistoryEvent: Sendable {
    public var id: Int
    public var previousEventId: Int
    public var timestampMillis: Int64
    public var type: String
    /// The details member's name (`stateEnteredEventDetails`, …) and value, when the type has one.
    public var details: (key: String, value: JSONValue)?
}

/// The events of one execution, appended as it runs (Map iterations and Parallel branches
/// share one id sequence, each chaining `previousEventId` within its own lane).
public final class ExecutionHistory: Sendable {
    private let events = Locked<(list: [HistoryEvent], full: Bool)>(([], false))
    /// Step Functions' hard quota on a STANDARD execution's history; nil for none (EXPRESS).
    let maximumEvents: Int?
    public static let standardMaximumEvents = 25_000

    public init(maximumEvents: Int? = ExecutionHistory.standardMaximumEvents) {
        self.maximumEvents = maximumEvents
    }

    /// The quota is reached: the only event still recorded is the execution's end, as AWS
    /// records ExecutionFailed as event 25,000 rather than whatever the execution did next.
    var isFull: Bool { events.withLock { $0.full } }

    private static let endings: Set<String> = ["ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"]

    public var all: [HistoryEvent] { events.withLock { $0.list } }

    /// StopExecution's ExecutionAborted event, after the last one.
    public func recordAborted(error: String?, cause: String?, at millis: Int64) {
        add("ExecutionAborted", after: all.last?.id ?? 0, at: millis, details: Self.endDetails("ExecutionAborted", error: error, cause: cause))
    }

    /// An ExecutionFailed, TimedOut or Aborted event's details: error and cause when known.
    static func endDetails(_ type: String, error: String?, cause: String?) -> (String, JSONValue) {
        var details = JSONObject()
        if let error { details["error"] = .string(error) }
        if let cause { details["cause"] = .string(cause) }
        return ("execution" + type.dropFirst("Execution".count) + "EventDetails", .object(details))
    }

    @discardableResult
    func add(_ type: String, after previous: Int, at millis: Int64, details: (String, JSONValue)? = nil) -> Int {
        events.withLock { state in
            if let maximumEvents {
                let ending = Self.endings.contains(type)
                if state.list.count >= maximumEvents || (state.list.count == maximumEvents - 1 && !ending) {
                    state.full = true
                    return state.list.count
                }
            }
            let id = state.list.count + 1
            state.list.append(HistoryEvent(id: id, previousEventId: previous, timestampMillis: millis, type: type, details: details.map { ($0.0, $0.1) }))
            return id
        }
    }
}

/// A chain of history events inside one lane (the execution, a branch, an iteration): each
/// event's `previousEventId` is the lane's last one.
final class HistoryLane: Sendable {
    let history: ExecutionHistory
    let clock: any ExecutionClock
    private let lastEvent: Locked<Int>

    init(history: ExecutionHistory, clock: any ExecutionClock, last: Int) {
        self.history = history
        self.clock = clock
        lastEvent = Locked(last)
    }

    var last: Int { lastEvent.withLock { $0 } }

    @discardableResult
    func add(_ type: String, _ details: (String, JSONValue)? = nil) -> Int {
        let at = clock.nowMillis()
        return lastEvent.withLock { last in
            last = history.add(type, after: last, at: at, details: details)
            return last
        }
    }

    func branch() -> HistoryLane { HistoryLane(history: history, clock: clock, last: last) }
}

/// Time for executions: Wait states, retry backoff. Scaled or instant in tests.
public protocol ExecutionClock: Sendable {
    func nowMillis() -> Int64
    /// Waits `milliseconds` of execution time (which the clock may scale or skip).
    func sleep(milliseconds: Int64) async
    /// Every wait elapses at once (time scale 0): waiting branches need not overlap.
    var isInstant: Bool { get }
}

extension ExecutionClock {
    public var isInstant: Bool { false }
}

/// Calls a Task state's resource.
public protocol TaskInvoker: Sendable {
    func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue
}

public struct TaskContext: Sendable {
    public var stateName: String
    public var executionArn: String
    public var region: String
    public var account: String
    public var stateMachine: String = ""
}

/// What an execution knows about itself (the `$$` context object's fixed part).
public struct ExecutionInfo: Sendable {
    public var arn: String
    public var name: String
    public var stateMachineArn: String
    public var stateMachineName: String
    public var roleArn: String
    public var startMillis: Int64
    public var region: String
    public var account: String

    public init(arn: String, name: String, stateMachineArn: String, stateMachineName: String, roleArn: String, startMillis: Int64, region: String, account: String) {
        self.arn = arn
        self.name = name
        self.stateMachineArn = stateMachineArn
        self.stateMachineName = stateMachineName
        self.roleArn = roleArn
        self.startMillis = startMillis
        self.region = region
        self.account = account
    }
}

/// ISO-8601 timestamps as Step Functions writes (`2024-02-07T13:50:28.123Z`) and reads them:
/// extended offset date-times only (a `T`, seconds, up to nine fractional digits, `Z` or an
/// offset), stricter than the wire codec, which this delegates the arithmetic to.
public enum StatesTimestamp {
    public static func format(millis: Int64) -> String { AWSTimestamp.iso8601(epochMillis: millis) }

    /// Milliseconds since the epoch, or nil when the text is not an extended offset date-time.
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[10] == UInt8(ascii: "T") else { return nil }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard (1...9).contains(i - start) else { return nil }
        }
        guard i < b.count, b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
        return AWSTimestamp.epochMillis(iso8601: text)
    }
}

extension HistoryLane {
    /// The events that open and close an execution (a top-level one or a map run's child).
    func executionStarted(input: JSONValue, roleArn: String) {
        add("ExecutionStarted", ("executionStartedEventDetails", [
            "input": .string(input.jsonString), "inputDetails": ["truncated": false], "roleArn": .string(roleArn),
        ]))
    }

    func executionSucceeded(output: JSONValue) {
        add("ExecutionSucceeded", ("executionSucceededEventDetails", ["output": .string(output.jsonString), "outputDetails": ["truncated": false]]))
    }

    /// ExecutionFailed, ExecutionTimedOut or ExecutionAborted.
    func executionEnded(_ type: String, _ error: StatesError) {
        add(type, ExecutionHistory.endDetails(type, error: error.error, cause: error.cause))
    }
}
