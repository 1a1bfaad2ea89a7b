public import JSONCore

/// A map run's state as a stored record, and back, so DescribeMapRun answers the same for a run
/// read back from the database as it did for the run itself.
extension MapRun.Snapshot {
    public var record: JSONValue {
        [
            "status": .string(status.rawValue), "stop": stopMillis.map { JSONValue(Int($0)) } ?? .null, "maxConcurrency": JSONValue(maxConcurrency),
            "toleratedFailurePercentage": .number(JSONNumber(toleratedFailurePercentage)), "toleratedFailureCount": JSONValue(toleratedFailureCount),
            "items": items.record, "executions": executions.record,
        ]
    }

    /// The snapshot a record describes; nil when it is not one.
    public init?(record: JSONValue) {
        guard let status = record["status"]?.stringValue.flatMap(ExecutionStatus.init), let items = record["items"].flatMap(MapRun.Counts.init(record:)),
            let executions = record["executions"].flatMap(MapRun.Counts.init(record:))
        else { return nil }
        self.init(
            status: status, stopMillis: record["stop"]?.intValue.map(Int64.init), maxConcurrency: record["maxConcurrency"]?.intValue ?? 0,
            toleratedFailurePercentage: record["toleratedFailurePercentage"]?.doubleValue ?? 0,
            toleratedFailureCount: record["toleratedFailureCount"]?.intValue ?? 0, items: items, executions: executions)
    }
}

extension MapRun.Counts {
    var record: JSONValue {
        [
            "pending": JSONValue(pending), "running": JSONValue(running), "succeeded": JSONValue(succeeded), "failed": JSONValue(failed),
            "timedOut": JSONValue(timedOut), "aborted": JSONValue(aborted), "total": JSONValue(total), "resultsWritten": JSONValue(resultsWritten),
        ]
    }

    init?(record: JSONValue) {
        guard case .object = record else { return nil }
        let count = { (name: String) in record[name]?.intValue ?? 0 }
        self.init(
            pending: count("pending"), running: count("running"), succeeded: count("succeeded"), failed: count("failed"), timedOut: count("timedOut"),
            aborted: count("aborted"), total: count("total"), resultsWritten: count("resultsWritten"))
    }
}
