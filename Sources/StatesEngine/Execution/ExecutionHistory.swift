import JSONCore
import Locking

/// The events of one execution, appended as it runs (Map iterations and Parallel branches
/// share one id sequence, each chaining `previousEventId` within its own lane).
public final class ExecutionHistory: Sendable {
    private struct State {
        var list: [HistoryEvent] = []
        var full = false
        var dropped = 0
        /// A resumed execution's recorded events that its replay has yet to reach, by lane.
        var replay: HistoryReplay?
    }

    private let events = Locked(State())
    /// Step Functions' hard quota on a STANDARD execution's history; nil for none (EXPRESS).
    let maximumEvents: Int?
    public static let standardMaximumEvents = 25_000
    /// An EXPRESS execution has no history at AWS and no quota on it, so it may loop for its
    /// whole five minutes: only this many events are kept (for the admin view), then only the
    /// execution's end, so memory stays bounded whatever it loops over.
    public static let retainedExpressEvents = 1_000

    /// Where each event is written as it is recorded (a STANDARD execution under
    /// `--data-dir`); nil keeps the history in memory only.
    let journal: (any HistoryJournal)?

    public init(maximumEvents: Int? = ExecutionHistory.standardMaximumEvents, journal: (any HistoryJournal)? = nil) {
        self.maximumEvents = maximumEvents
        self.journal = journal
    }

    /// Events an EXPRESS execution did not keep.
    public var droppedEvents: Int { events.withLock { $0.dropped } }

    /// The quota is reached: the only event still recorded is the execution's end, as AWS
    /// records ExecutionFailed as event 25,000 rather than whatever the execution did next.
    var isFull: Bool { events.withLock { $0.full } }

    public var all: [HistoryEvent] { events.withLock { $0.list } }

    /// Puts back events read from storage, in place of none.
    func restore(_ list: [HistoryEvent]) {
        events.withLock { $0.list = list }
    }

    /// Writes the journal's events so far: a durability point (see `HistoryJournal`).
    public func commit() { journal?.flush() }

    /// Replays the events recorded so far: from now on each lane takes its recorded events in
    /// order, as the interpreter runs the execution again from its start, rather than adding
    /// them again; once a lane's are spent it records new ones after the last id. This is how
    /// an execution that was running when Understudy stopped goes on (see `HistoryReplay`).
    public func replayRecorded() {
        events.withLock { $0.replay = HistoryReplay($0.list) }
    }

    /// Whether a replay has events left for `lane`.
    func isReplaying(lane: String) -> Bool {
        events.withLock { $0.replay?.hasEvents(lane: lane) ?? false }
    }

    /// The recorded events `lane` has yet to replay, the next first.
    func recordedAhead(lane: String) -> ArraySlice<HistoryEvent> {
        events.withLock { $0.replay?.ahead(lane: lane) ?? [] }
    }

    /// StopExecution's ExecutionAborted event, after the last one.
    public func recordAborted(error: String?, cause: String?, at millis: Int64) {
        add(.executionAborted, after: all.last?.id ?? 0, at: millis, details: Self.endDetails(error: error, cause: cause))
    }

    /// An ExecutionFailed, TimedOut or Aborted event's details: error and cause when known.
    static func endDetails(error: String?, cause: String?) -> JSONValue {
        var details = JSONObject()
        if let error { details["error"] = .string(error) }
        if let cause { details["cause"] = .string(cause) }
        return .object(details)
    }

    /// An event of `lane`: the recorded one when a replay has it next (its id and time), else
    /// a new one.
    func record(
        _ type: HistoryEventType, after previous: Int, at millis: Int64, details: JSONValue?, payload: (member: String, value: JSONValue)?, lane: String
    ) -> (id: Int, millis: Int64, replayed: Bool) {
        events.withLock { state in
            if state.replay != nil, let recorded = state.replay?.take(type, lane: lane) {
                return (recorded.id, recorded.timestampMillis, true)
            }
            return (append(&state, type, after: previous, at: millis, details: details, payload: payload, lane: lane), millis, false)
        }
    }

    @discardableResult
    func add(
        _ type: HistoryEventType, after previous: Int, at millis: Int64, details: JSONValue? = nil, payload: (member: String, value: JSONValue)? = nil
    ) -> Int {
        events.withLock { state in append(&state, type, after: previous, at: millis, details: details, payload: payload, lane: "") }
    }

    private func append(
        _ state: inout State, _ type: HistoryEventType, after previous: Int, at millis: Int64, details: JSONValue?, payload: (member: String, value: JSONValue)?,
        lane: String
    ) -> Int {
        if let maximumEvents {
            if state.list.count >= maximumEvents || (state.list.count == maximumEvents - 1 && !type.endsExecution) {
                state.full = true
                return state.list.count
            }
        } else if state.list.count >= Self.retainedExpressEvents, !type.endsExecution {
            state.dropped += 1
            return state.list.count + state.dropped
        }
        let id = state.list.count + state.dropped + 1
        let event = HistoryEvent(id: id, previousEventId: previous, timestampMillis: millis, type: type, details: details, payload: payload, lane: lane)
        state.list.append(event)
        // Under the lock, so the journal sees events in their order.
        journal?.append(event)
        return id
    }
}

/// Where a history's events are written, in order: what a resumed execution replays. It may
/// keep them until `flush`, which the interpreter calls before the execution acts outside
/// itself (calls a resource, queues an activity task, waits, ends): every event up to then is
/// written before `flush` returns.
public protocol HistoryJournal: Sendable {
    func append(_ event: HistoryEvent)
    func flush()
}
