import JSONCore
import Locking

/// The events of one execution, appended as it runs (Map iterations and Parallel branches
/// share one id sequence, each chaining `previousEventId` within its own lane).
public final class ExecutionHistory: Sendable {
    private let events = Locked<(list: [HistoryEvent], full: Bool, dropped: Int)>(([], false, 0))
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

    @discardableResult
    func add(
        _ type: HistoryEventType, after previous: Int, at millis: Int64, details: JSONValue? = nil, payload: (member: String, value: JSONValue)? = nil,
        lane: String = ""
    ) -> Int {
        events.withLock { state in
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
}

/// Where a history's events are written as they are recorded, in order, before the execution
/// goes on: what a resumed execution replays.
public protocol HistoryJournal: Sendable {
    func append(_ event: HistoryEvent)
}
