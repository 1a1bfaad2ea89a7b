public import JSONCore

/// One history event as GetExecutionHistory returns it.
public struct HistoryEvent: Sendable {
    public var id: Int
    public var previousEventId: Int
    public var timestampMillis: Int64
    public var type: HistoryEventType
    /// The lane that recorded it: "" for the execution itself, then one index per Parallel
    /// branch or Map iteration ("2", "2/0"). Never part of the API's answer; kept on disk so a
    /// resumed execution can match each lane's recorded events to its replay.
    public var lane: String
    /// The details member's name and value, with the payload member (if any) still null.
    var storedDetails: (key: String, value: JSONValue)?
    /// The state's or execution's input or output: the member of the details that holds it,
    /// and the value itself. The value shares its storage with the execution's data and becomes
    /// JSON text only when the event is read: written out per event, a loop over a 20 KB
    /// payload held 25,000 copies of it (about 500 MB) and serialized it twice per state.
    var payload: (member: String, value: JSONValue)?

    init(
        id: Int, previousEventId: Int, timestampMillis: Int64, type: HistoryEventType, details: JSONValue?, payload: (member: String, value: JSONValue)?,
        lane: String = ""
    ) {
        self.id = id
        self.lane = lane
        self.previousEventId = previousEventId
        self.timestampMillis = timestampMillis
        self.type = type
        storedDetails = details.map { (type.detailsKey, $0) }
        self.payload = payload
    }

    /// The details member's name (`stateEnteredEventDetails`, …) and value, when the type has
    /// one, as AWS writes them: the payload as JSON text.
    public var details: (key: String, value: JSONValue)? {
        guard let (key, value) = storedDetails else { return nil }
        guard let payload, case .object(var members) = value else { return (key, value) }
        members[payload.member] = .string(payload.value.jsonString)
        return (key, .object(members))
    }

    /// The state's name of a `*StateEntered` or `*StateExited` event, without writing out its payload.
    public var stateName: JSONValue? { storedDetails?.value["name"] }
}
