/// The recorded events of an execution that was running when Understudy stopped, by lane,
/// for the replay that resumes it. As durable-execution engines do (Temporal replays a
/// workflow's event history through its deterministic code), the interpreter runs the
/// execution again from its start; each event it would record is, while its lane has
/// recorded ones left, the next of those instead (same id, same time), and a Task whose
/// outcome is recorded takes it from there rather than calling its resource again. Lanes are
/// matched by their path, so Parallel branches and Map iterations find their own events
/// whatever order they take turns in this time.
struct HistoryReplay: Sendable {
    private var lanes: [String: (events: [HistoryEvent], next: Int)] = [:]

    init(_ events: [HistoryEvent]) {
        for event in events { lanes[event.lane, default: ([], 0)].events.append(event) }
    }

    func hasEvents(lane: String) -> Bool {
        guard let recorded = lanes[lane] else { return false }
        return recorded.next < recorded.events.count
    }

    func ahead(lane: String) -> ArraySlice<HistoryEvent> {
        guard let recorded = lanes[lane] else { return [] }
        return recorded.events[recorded.next...]
    }

    /// The lane's next recorded event when it is of `type`. When it is another, the run has
    /// gone another way than the recorded one (a definition read differently, say): the lane's
    /// remaining events stay in the history as they were, and it records new ones from here.
    mutating func take(_ type: HistoryEventType, lane: String) -> HistoryEvent? {
        guard let recorded = lanes[lane], recorded.next < recorded.events.count else { return nil }
        let event = recorded.events[recorded.next]
        guard event.type == type else {
            lanes[lane] = nil
            return nil
        }
        lanes[lane]?.next += 1
        return event
    }
}
