public import JSONCore

/// A history event as a stored record, and back: the event as GetExecutionHistory writes it
/// (its payload already JSON text in its details), so a restored history answers the same.
extension HistoryEvent {
    public var record: JSONValue {
        var o: JSONObject = [
            "id": JSONValue(id), "previousEventId": JSONValue(previousEventId), "timestamp": JSONValue(Int(timestampMillis)),
            "type": .string(type.rawValue),
        ]
        if let details { o["details"] = details.value }
        if !lane.isEmpty { o["lane"] = .string(lane) }
        return .object(o)
    }

    /// The event a record describes; nil when it is not one.
    public init?(record: JSONValue) {
        guard let id = record["id"]?.intValue, let type = record["type"]?.stringValue.flatMap(HistoryEventType.init) else { return nil }
        self.init(
            id: id, previousEventId: record["previousEventId"]?.intValue ?? 0, timestampMillis: Int64(record["timestamp"]?.intValue ?? 0), type: type,
            details: record["details"], payload: nil, lane: record["lane"]?.stringValue ?? "")
    }
}

extension ExecutionHistory {
    /// A history as it was stored (a STANDARD execution read back under `--data-dir`).
    public convenience init(restoring events: [HistoryEvent]) {
        self.init(maximumEvents: ExecutionHistory.standardMaximumEvents)
        restore(events)
    }

    /// Ends a restored history with ExecutionFailed, after ExecutionStarted when the record
    /// was kept before the execution recorded anything.
    public func recordInterrupted(input: JSONValue, roleArn: String, startMillis: Int64, error: String?, cause: String?, at millis: Int64) {
        if all.isEmpty {
            add(
                .executionStarted, after: 0, at: startMillis, details: ["input": .null, "inputDetails": ["truncated": false], "roleArn": .string(roleArn)],
                payload: ("input", input))
        }
        add(.executionFailed, after: all.last?.id ?? 0, at: millis, details: Self.endDetails(error: error, cause: cause))
    }
}
