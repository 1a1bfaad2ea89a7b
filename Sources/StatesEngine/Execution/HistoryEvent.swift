public import JSONCore

/// One history event as GetExecutionHistory returns it.
public struct HistoryEvent: Sendable {
    public var id: Int
    public var previousEventId: Int
    public var timestampMillis: Int64
    public var type: HistoryEventType
    /// The details member's name (`stateEnteredEventDetails`, …) and value, when the type has one.
    public var details: (key: String, value: JSONValue)?
}
